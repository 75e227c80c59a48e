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

/** Reads partition 0 of a topic from the start (read_committed) until enough records arrived. */
public final class TopicRecords {

    private TopicRecords() {
    }

    /**
     * The records, once {@code enough} holds for them.
     *
     * @throws AssertionError if it does not within {@code wait}
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> enough, Duration wait) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + wait.toNanos();
            while (!enough.test(values)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not found on " + topic + " within " + wait + "; read " + values.size()
                            + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(values::add);
            }
        }
        return values;
    }
}
