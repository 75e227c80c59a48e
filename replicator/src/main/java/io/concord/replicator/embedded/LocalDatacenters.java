package io.concord.replicator.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster and one PostgreSQL server per datacenter, started together and closed together,
 * in parallel: what {@code concord demo} and the integration tests run Concord against.
 */
public final class LocalDatacenters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDatacenters.class);

    private final KafkaCluster kafka;
    private final Map<String, PostgresServer> postgres;
    private boolean closed;

    private LocalDatacenters(KafkaCluster kafka, Map<String, PostgresServer> postgres) {
        this.kafka = kafka;
        this.postgres = Collections.unmodifiableMap(postgres);
    }

    /** Embedded servers: an {@link EmbeddedKafkaCluster} of {@code kafkaBrokers} nodes and an {@link EmbeddedPostgresServer} per datacenter. */
    public static LocalDatacenters embedded(List<String> datacenters, int kafkaBrokers) {
        return start(datacenters, () -> EmbeddedKafkaCluster.builder().brokers(kafkaBrokers).start(),
                EmbeddedPostgresServer::start);
    }

    /**
     * Starts the Kafka cluster and each datacenter's PostgreSQL at the same time; if any fails,
     * closes those that started and throws the failure.
     */
    public static LocalDatacenters start(List<String> datacenters, Supplier<? extends KafkaCluster> kafka,
            Function<String, ? extends PostgresServer> postgres) {
        long started = System.nanoTime();
        List<Callable<AutoCloseable>> tasks = new ArrayList<>();
        tasks.add(kafka::get);
        datacenters.forEach(dc -> tasks.add(() -> postgres.apply(dc)));
        List<Parallel.Outcome<AutoCloseable>> outcomes = Parallel.callAll("datacenter-start", tasks);
        if (outcomes.stream().anyMatch(outcome -> outcome.error() != null)) {
            throw startFailure(outcomes);
        }
        Map<String, PostgresServer> servers = new LinkedHashMap<>();
        for (int i = 0; i < datacenters.size(); i++) {
            servers.put(datacenters.get(i), (PostgresServer) outcomes.get(i + 1).value());
        }
        LOG.info("Datacenters {} and Kafka started in {} ms", datacenters,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return new LocalDatacenters((KafkaCluster) outcomes.get(0).value(), servers);
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    /** The PostgreSQL server of datacenter {@code dc}. */
    public PostgresServer postgres(String dc) {
        PostgresServer server = postgres.get(dc);
        if (server == null) {
            throw new IllegalArgumentException("no datacenter '" + dc + "'; the datacenters are " + postgres.keySet());
        }
        return server;
    }

    /** The datacenter ids, in the order given at start. */
    public List<String> datacenters() {
        return List.copyOf(postgres.keySet());
    }

    /** Closes every server in parallel; throws the first failure after all were tried. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> servers = new ArrayList<>(postgres.values());
        servers.add(kafka);
        closeAll(servers);
    }

    private static RuntimeException startFailure(List<Parallel.Outcome<AutoCloseable>> outcomes) {
        List<AutoCloseable> started = new ArrayList<>();
        RuntimeException failure = null;
        for (Parallel.Outcome<AutoCloseable> outcome : outcomes) {
            if (outcome.error() == null) {
                started.add(outcome.value());
            } else if (failure == null) {
                failure = new IllegalStateException("starting the local datacenters failed: " + outcome.error(),
                        outcome.error());
            } else {
                failure.addSuppressed(outcome.error());
            }
        }
        try {
            closeAll(started);
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
        return failure;
    }

    private static void closeAll(List<AutoCloseable> servers) {
        Parallel.run("datacenter-close", servers.stream().<Runnable>map(server -> () -> {
            try {
                server.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing " + server + " failed", e);
            }
        }).toList());
    }
}
