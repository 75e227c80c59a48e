package io.concord.replicator.testing;

import io.concord.replicator.embedded.KafkaCluster;
import io.concord.replicator.embedded.PostgresServer;
import java.util.Optional;

/** Where a {@link ClusterFixture}'s servers come from: embedded from Maven artifacts (default) or Testcontainers. */
interface ClusterBackend {

    /** System property naming the backend: {@code embedded} (default) or {@code docker} (set by {@code mvn -Pdocker}). */
    String PROPERTY = "concord.fixture";

    static ClusterBackend selected() {
        String name = System.getProperty(PROPERTY, "embedded");
        return switch (name) {
            case "embedded" -> new EmbeddedBackend();
            case "docker" -> new ContainerBackend();
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + name + " is not a fixture backend; expected embedded or docker");
        };
    }

    /**
     * Why this backend cannot run a cluster of {@code kafkaBrokers} brokers here (that a test can kill with
     * SIGKILL, if {@code killableBrokers}), or empty if it can.
     */
    Optional<String> unusableReason(int kafkaBrokers, boolean killableBrokers);

    KafkaCluster startKafka(int brokers, boolean killableBrokers);

    PostgresServer startPostgres(String dc);

    /** After every server was closed: fails with an {@link AssertionError} if anything was left running or on disk. */
    void verifyNothingLeft();
}
