package io.concord.replicator.testing;

import io.concord.replicator.embedded.EmbeddedKafkaCluster;
import io.concord.replicator.embedded.EmbeddedPostgresServer;
import io.concord.replicator.embedded.KafkaCluster;
import io.concord.replicator.embedded.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real servers from Maven artifacts, in this JVM (Kafka) and as local processes (PostgreSQL); needs nothing but a JDK. */
final class EmbeddedBackend implements ClusterBackend {

    // Servers start in parallel threads.
    private final List<Path> dataDirectories = new CopyOnWriteArrayList<>();

    @Override
    public Optional<String> unusableReason(int kafkaBrokers, boolean killableBrokers) {
        return Optional.empty(); // everything comes from the Maven repository
    }

    @Override
    public KafkaCluster startKafka(int brokers, boolean killableBrokers) {
        EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(brokers).childProcesses(killableBrokers)
                .start();
        dataDirectories.add(kafka.dataDirectory());
        return kafka;
    }

    @Override
    public PostgresServer startPostgres(String dc) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dc);
        dataDirectories.add(postgres.dataDirectory());
        return postgres;
    }

    @Override
    public void verifyNothingLeft() {
        ServerLeakCheck.assertNothingLeft(dataDirectories);
    }
}
