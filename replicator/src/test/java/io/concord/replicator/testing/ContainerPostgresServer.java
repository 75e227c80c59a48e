package io.concord.replicator.testing;

import io.concord.replicator.embedded.LoopbackPorts;
import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** PostgreSQL 17 in a Docker container, set up like {@code EmbeddedPostgresServer}; stop and start keep its data and port. */
final class ContainerPostgresServer implements PostgresServer {

    private static final int POSTGRES_PORT = 5432;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final PostgreSQLContainer<?> container;
    private final int hostPort;
    private boolean running;

    private ContainerPostgresServer(PostgreSQLContainer<?> container, int hostPort) {
        this.container = container;
        this.hostPort = hostPort;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerPostgresServer start(String dc) {
        int hostPort = LoopbackPorts.reserve();
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse("postgres:17"))
                .withDatabaseName(DEFAULT_DATABASE)
                .withUsername("postgres")
                .withPassword("postgres")
                .withCommand("postgres",
                        "-c", "wal_level=logical",
                        "-c", "max_replication_slots=20",
                        "-c", "max_wal_senders=20",
                        "-c", "track_commit_timestamp=on",
                        "-c", "max_worker_processes=16",
                        "-c", "max_logical_replication_workers=8",
                        "-c", "max_sync_workers_per_subscription=2",
                        "-c", "fsync=on")
                .withCreateContainerCmdModifier(FixedHostPort.bind(POSTGRES_PORT, hostPort))
                .withLabel("io.concord.datacenter", dc);
        container.start();
        ContainerPostgresServer server = new ContainerPostgresServer(container, hostPort);
        server.running = true;
        return server;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + hostPort + "/" + database;
    }

    @Override
    public String user() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public synchronized void stop() {
        if (running) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        awaitConnections();
        running = true;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void close() {
        container.stop();
        running = false;
    }

    private void awaitConnections() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = connect()) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while PostgreSQL restarts", e);
            }
        }
        throw new IllegalStateException("PostgreSQL container did not accept connections within " + START_TIMEOUT, last);
    }
}
