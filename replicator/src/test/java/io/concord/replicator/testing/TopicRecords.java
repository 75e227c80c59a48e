package io.concord.replicator.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Partition 0 of a topic read from its start with a plain consumer: raw records with their offsets. */
public final class TopicRecords {

    private TopicRecords() {
    }

    /** The records, read_committed (as Concord reads), once {@code enough} holds for them. */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> enough, Duration wait) {
        return read(bootstrapServers, topic, "read_committed", enough, wait);
    }

    /**
     * The records, read until {@code enough} holds for them.
     *
     * @param isolation read_committed (as Concord and a well-configured MirrorMaker read) or read_uncommitted
     * @throws AssertionError if it does not within {@code wait}
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic, String isolation,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> enough, Duration wait) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = fromStart(bootstrapServers, topic, isolation)) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!enough.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not found on " + topic + " at " + bootstrapServers + " within " + wait
                            + " (" + records.size() + " records read)");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every record of partition 0 up to its end offset as it was when called. */
    public static List<ConsumerRecord<byte[], byte[]>> readToEnd(String bootstrapServers, String topic,
            String isolation) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = fromStart(bootstrapServers, topic, isolation)) {
            // Under read_committed this is the last stable offset: an open transaction's records are not counted.
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // Transaction markers take offsets too: the position, not the records, says when the end is reached.
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to offset " + end + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.offset() < end) {
                        records.add(r);
                    }
                });
            }
        }
        return records;
    }

    /** The offset after the last record of partition 0 (transaction markers count). */
    public static long endOffset(String bootstrapServers, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = fromStart(bootstrapServers, topic, "read_uncommitted")) {
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }

    private static KafkaConsumer<byte[], byte[]> fromStart(String bootstrapServers, String topic, String isolation) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }
}
