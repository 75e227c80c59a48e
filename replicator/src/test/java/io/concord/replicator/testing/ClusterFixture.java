package io.concord.replicator.testing;

import io.concord.replicator.embedded.KafkaCluster;
import io.concord.replicator.embedded.LocalDatacenters;
import io.concord.replicator.embedded.PostgresServer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that gives a test class real infrastructure: one PostgreSQL per datacenter and
 * one Kafka cluster, started in parallel before the class's first test and closed after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");   // optional .kafkaBrokers(3), .killableBrokers()
 * ...
 * cluster.kafka().bootstrapServers();
 * PostgresServer pg = cluster.postgres("a");
 * }</pre>
 *
 * <p>Embedded servers by default; Testcontainers images with {@code -Dconcord.fixture=docker}
 * ({@code mvn -Pdocker}), skipped with a message where no Docker engine is reachable. After closing,
 * the embedded backend fails the class if a process or a data directory was left behind.
 */
public final class ClusterFixture implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFixture.class);

    private final List<String> datacenters;
    private int kafkaBrokers = 1;
    private boolean killableBrokers;
    private Class<?> owner;
    private ClusterBackend backend;
    private LocalDatacenters cluster;

    private ClusterFixture(List<String> datacenters) {
        this.datacenters = datacenters;
    }

    /** A fixture with one PostgreSQL for each of these datacenter ids (distinct, not blank) and a one-broker Kafka cluster. */
    public static ClusterFixture datacenters(String... dcs) {
        List<String> ids = List.of(dcs);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a ClusterFixture needs at least one datacenter id");
        }
        if (ids.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("datacenter ids must not be blank: " + ids);
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("datacenter ids must be distinct: " + ids);
        }
        return new ClusterFixture(ids);
    }

    /** The number of Kafka brokers (1 by default); set it where the fixture is declared. */
    public ClusterFixture kafkaBrokers(int brokers) {
        if (owner != null) {
            throw new IllegalStateException("the cluster has started; set kafkaBrokers where the fixture is declared");
        }
        if (brokers < 1) {
            throw new IllegalArgumentException("kafkaBrokers must be at least 1, got " + brokers);
        }
        this.kafkaBrokers = brokers;
        return this;
    }

    /**
     * Runs each Kafka broker in a child JVM, so that a fault test can kill it with SIGKILL
     * ({@link io.concord.replicator.embedded.EmbeddedKafkaCluster#killBroker}); slower to start. Embedded backend only.
     */
    public ClusterFixture killableBrokers() {
        if (owner != null) {
            throw new IllegalStateException("the cluster has started; set killableBrokers where the fixture is declared");
        }
        this.killableBrokers = true;
        return this;
    }

    /** The datacenter ids, in the order given. */
    public List<String> datacenters() {
        return datacenters;
    }

    public KafkaCluster kafka() {
        return started().kafka();
    }

    /** The PostgreSQL server of datacenter {@code dc}. */
    public PostgresServer postgres(String dc) {
        return started().postgres(dc);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner != null) {
            return; // a @Nested class of the owner: it shares the owner's cluster
        }
        owner = context.getRequiredTestClass();
        backend = ClusterBackend.selected();
        Optional<String> unusable = backend.unusableReason(kafkaBrokers, killableBrokers);
        // Surefire counts a class aborted here as "Tests run: 0" without the reason, hence the log line.
        unusable.ifPresent(reason -> LOG.warn("{} skipped: {}", owner.getSimpleName(), reason));
        // Aborting here, before the class's own @BeforeAll methods, which often use the cluster.
        Assumptions.assumeTrue(unusable.isEmpty(), unusable::get);
        cluster = LocalDatacenters.start(datacenters, () -> backend.startKafka(kafkaBrokers, killableBrokers), backend::startPostgres);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owner == null || context.getRequiredTestClass() != owner) {
            return;
        }
        owner = null;
        RuntimeException closeFailure = null;
        try {
            if (cluster != null) {
                cluster.close();
            }
        } catch (RuntimeException e) {
            closeFailure = e;
        }
        cluster = null;
        try {
            backend.verifyNothingLeft();
        } catch (AssertionError leak) {
            if (closeFailure != null) {
                leak.addSuppressed(closeFailure);
            }
            throw leak;
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
    }

    private LocalDatacenters started() {
        if (cluster == null) {
            throw new IllegalStateException("the ClusterFixture is not running: register it with @RegisterExtension"
                    + " on a static field, and use it from tests, not from field initialisers");
        }
        return cluster;
    }
}
