package io.concord.replicator.bench;

import io.concord.replicator.embedded.LocalDatacenters;
import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers every scenario runs on: embedded PostgreSQL {@code a} and {@code b} (one version, one set of
 * settings, fsync on, shared by Concord and native replication) and one embedded Kafka broker; and fresh
 * databases for each run, so that no run inherits another's rows, slots, versions or topics.
 */
final class BenchCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCluster.class);
    static final String SOURCE = "a";
    static final String TARGET = "b";
    private static final String ITEMS = "CREATE TABLE items (id bigint PRIMARY KEY, k int, v text, updated_at timestamptz)";

    private final LocalDatacenters servers;
    private int runs;

    private BenchCluster(LocalDatacenters servers) {
        this.servers = servers;
    }

    static BenchCluster start() {
        return new BenchCluster(LocalDatacenters.embedded(List.of(SOURCE, TARGET), 1));
    }

    PostgresServer source() {
        return servers.postgres(SOURCE);
    }

    PostgresServer target() {
        return servers.postgres(TARGET);
    }

    String bootstrapServers() {
        return servers.kafka().bootstrapServers();
    }

    /** A new run id, {@code bench_<n>}: it names the run's databases, slots, subscription and topic prefix. */
    String nextRunId() {
        return "bench_" + ++runs;
    }

    /**
     * Writes out, on both servers, what earlier runs left in the buffers, so that no run pays for another's writes:
     * a backlog leaves hundreds of megabytes of dirty pages, and the checkpoint that writes them would otherwise
     * fall inside a later run's timed window (the steady-lag runs after the backlogs had commits on {@code a} of
     * 140-390 ms among their slowest batches). Timed checkpoints count from this one, so none comes due within a
     * run of a few minutes.
     */
    void checkpoint() throws SQLException {
        new Db(source(), PostgresServer.DEFAULT_DATABASE).execute("CHECKPOINT");
        new Db(target(), PostgresServer.DEFAULT_DATABASE).execute("CHECKPOINT");
    }

    /** Creates database {@code name} on {@code server} with an empty {@code items} table. */
    Db createDatabase(PostgresServer server, String name) throws SQLException {
        server.createDatabase(name);
        Db db = new Db(server, name);
        db.execute(ITEMS);
        return db;
    }

    /** Drops a run's database, and any replication slot still left in it by a run that failed half way. */
    void dropDatabase(Db db) {
        try (Connection connection = db.server().connect(); Statement statement = connection.createStatement()) {
            try (PreparedStatement slots = connection.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
                    + " FROM pg_replication_slots s JOIN pg_database d ON d.oid = s.datoid"
                    + " WHERE d.datname = ? AND NOT s.active")) {
                slots.setString(1, db.name());
                slots.executeQuery().close();
            }
            statement.execute("DROP DATABASE IF EXISTS \"" + db.name() + "\" WITH (FORCE)");
        } catch (SQLException e) {
            LOG.warn("could not drop bench database {}: {}", db, e.getMessage());
        }
    }

    /** Deletes the topics of a run (its changes and dead-letter topics and Kafka Streams' own). */
    void deleteTopics(String prefix) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(topic -> topic.startsWith(prefix + ".") || topic.startsWith(prefix + "-"))
                    .collect(Collectors.toSet());
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("could not delete the topics of {}: {}", prefix, e.toString());
        }
    }

    /** {@code server_version} of the source (both servers run the same binaries). */
    String postgresVersion() throws SQLException {
        return new Db(source(), PostgresServer.DEFAULT_DATABASE).queryString("SHOW server_version");
    }

    @Override
    public void close() {
        servers.close();
    }
}
