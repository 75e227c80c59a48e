package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.testing.KafkaRoundTrip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A three-node embedded KRaft cluster replicates a topic and keeps serving it while a broker restarts. */
class ThreeBrokerKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().brokers(3).start();
    }

    @AfterAll
    static void stopKafka() {
        Path directory = kafka.dataDirectory();
        kafka.close();
        assertThat(directory).doesNotExist();
    }

    @Test
    void replicatedTopicStaysReadableAndWritableWhileABrokerRestarts() {
        assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
        kafka.createTopic("replicated", 3, 3, Map.of("min.insync.replicas", "2"));
        KafkaRoundTrip.produce(kafka.bootstrapServers(), "replicated", "before", 300);

        kafka.stopBroker(1);
        // acks=all with one replica gone: the other two are the in-sync quorum.
        KafkaRoundTrip.produce(kafka.bootstrapServers(), "replicated", "during", 300);
        List<String> whileDown = KafkaRoundTrip.consume(kafka.bootstrapServers(), "replicated", 600, TIMEOUT);
        kafka.startBroker(1);
        KafkaRoundTrip.produce(kafka.bootstrapServers(), "replicated", "after", 300);

        List<String> expected = new ArrayList<>(KafkaRoundTrip.values("before", 300));
        expected.addAll(KafkaRoundTrip.values("during", 300));
        assertThat(whileDown).containsExactlyInAnyOrderElementsOf(expected);
        expected.addAll(KafkaRoundTrip.values("after", 300));
        assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "replicated", 900, TIMEOUT))
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}
