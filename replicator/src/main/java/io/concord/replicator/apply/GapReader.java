package io.concord.replicator.apply;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a range of a partition with a plain consumer (assign and seek, read_committed, no group): the
 * records between {@code concord.apply_progress} and where Kafka Streams resumed, which Streams' committed
 * offsets skipped although PostgreSQL never got them.
 */
final class GapReader {

    /** Takes one record of the gap. */
    @FunctionalInterface
    interface Sink {
        void accept(ConsumerRecord<byte[], byte[]> record) throws InterruptedException;
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Supplier<Properties> clientProperties;

    GapReader(Supplier<Properties> clientProperties) {
        this.clientProperties = clientProperties;
    }

    /** Hands every committed record of [{@code from}, {@code to}) to {@code sink}, in order. */
    void read(TopicPartition partition, long from, long to, Sink sink) throws InterruptedException {
        Properties properties = clientProperties.get();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Below the log start (retention), the range begins where the log does.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            // Transaction markers and aborted records take offsets too: the position, not the records, says when to stop.
            while (consumer.position(partition) < to) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + partition + " from " + from + " to " + to
                            + " within " + TIMEOUT.toSeconds() + " s (at " + consumer.position(partition) + ")");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < to) {
                        sink.accept(record);
                    }
                }
            }
        }
    }
}
