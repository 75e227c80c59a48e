package io.concord.replicator.testing;

import io.concord.replicator.embedded.KafkaCluster;
import io.concord.replicator.embedded.PostgresServer;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/** Servers in Docker containers through Testcontainers ({@code mvn -Pdocker}); skipped where no Docker engine is reachable. */
final class ContainerBackend implements ClusterBackend {

    @Override
    public Optional<String> unusableReason(int kafkaBrokers, boolean killableBrokers) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.of("-D" + PROPERTY + "=docker (mvn -Pdocker) runs the cluster on Testcontainers, but no"
                    + " Docker engine is reachable (DOCKER_HOST, /var/run/docker.sock); build without -Pdocker to use"
                    + " the embedded servers");
        }
        if (killableBrokers) {
            return Optional.of("the Testcontainers backend cannot kill a Kafka broker with SIGKILL; this class"
                    + " runs on the embedded backend only");
        }
        if (kafkaBrokers != 1) {
            return Optional.of("the Testcontainers backend runs one Kafka broker; this class asks for " + kafkaBrokers
                    + " and runs on the embedded backend only");
        }
        return Optional.empty();
    }

    @Override
    public KafkaCluster startKafka(int brokers, boolean killableBrokers) {
        return ContainerKafkaCluster.start();
    }

    @Override
    public PostgresServer startPostgres(String dc) {
        return ContainerPostgresServer.start(dc);
    }

    @Override
    public void verifyNothingLeft() {
        // Testcontainers' reaper (Ryuk) removes every container of this JVM, even if it dies.
    }
}
