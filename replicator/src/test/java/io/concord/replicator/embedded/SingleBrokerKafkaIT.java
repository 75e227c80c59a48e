package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.testing.KafkaRoundTrip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A one-node embedded KRaft cluster carries plain and transactional records, survives a restart, and leaves nothing behind. */
class SingleBrokerKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
    }

    @AfterAll
    static void stopKafka() {
        Path directory = kafka.dataDirectory();
        kafka.close();
        assertThat(directory).doesNotExist();
    }

    @Test
    void roundTripsRecords() {
        kafka.createTopic("round-trip", 3, 1);
        KafkaRoundTrip.produce(kafka.bootstrapServers(), "round-trip", "v", 500);

        List<String> read = KafkaRoundTrip.consume(kafka.bootstrapServers(), "round-trip", 500, TIMEOUT);

        assertThat(read).containsExactlyInAnyOrderElementsOf(KafkaRoundTrip.values("v", 500));
    }

    @Test
    void committedTransactionsAreVisibleAndAbortedOnesAreNot() {
        // Concord publishes with transactional producers; this needs the transaction log sized for one node.
        kafka.createTopic("tx", 1, 1);
        try (KafkaProducer<String, String> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", "k", "last"));
            producer.commitTransaction();
        }

        assertThat(readCommitted("tx", 2)).containsExactly("committed", "last");
    }

    @Test
    void restartedBrokerKeepsItsData() {
        kafka.createTopic("kept", 1, 1);
        KafkaRoundTrip.produce(kafka.bootstrapServers(), "kept", "before", 100);

        kafka.stopBroker(0);
        kafka.startBroker(0);
        KafkaRoundTrip.produce(kafka.bootstrapServers(), "kept", "after", 100);

        List<String> expected = new ArrayList<>(KafkaRoundTrip.values("before", 100));
        expected.addAll(KafkaRoundTrip.values("after", 100));
        assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "kept", 200, TIMEOUT)).containsExactlyElementsOf(expected);
    }

    @Test
    void keepsItsDataUnderItsOwnDirectory() throws Exception {
        try (var files = Files.list(kafka.dataDirectory())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("node-0");
        }
    }

    private KafkaProducer<String, String> transactionalProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer());
    }

    private List<String> readCommitted(String topic, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "tx-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // One more short poll: an aborted record that leaked through would show up here.
            consumer.poll(Duration.ofMillis(300)).forEach(record -> values.add(record.value()));
            return values;
        }
    }
}
