package io.concord.replicator.testing;

import io.concord.event.ChangeEvent;
import io.concord.event.Heartbeat;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a changes topic from the start, as a receiver would (read_committed), decoding every event. */
public final class ChangeTopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final List<ChangeEvent> changes = new ArrayList<>();
    private final java.util.Map<String, String> keysByEventId = new java.util.HashMap<>();
    private final List<Heartbeat> heartbeats = new ArrayList<>();

    public ChangeTopicReader(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Reads until {@code done} holds for the changes read so far, or the timeout passes; returns them all. */
    public List<ChangeEvent> readUntil(Predicate<List<ChangeEvent>> done, Duration timeout) throws EventDecodingException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(changes) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                SpecificRecord event = codec.decode(record.value());
                if (event instanceof ChangeEvent change) {
                    changes.add(change);
                    keysByEventId.put(change.getEventId(), record.key() == null ? null
                            : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
                } else if (event instanceof Heartbeat heartbeat) {
                    heartbeats.add(heartbeat);
                }
            }
        }
        return changes;
    }

    public List<ChangeEvent> changes() {
        return changes;
    }

    /** The Kafka record key an event was published with. */
    public String keyOf(ChangeEvent event) {
        return keysByEventId.get(event.getEventId());
    }

    public List<Heartbeat> heartbeats() {
        return heartbeats;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
