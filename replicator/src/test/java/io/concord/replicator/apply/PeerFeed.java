package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A peer's changes topic read as the future apply topology will read it: read_committed, with offsets,
 * handed out in whole source transactions. Stands in for the Kafka Streams topology in apply tests.
 */
final class PeerFeed implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final List<BatchApplier.RemoteEvent> buffered = new ArrayList<>();
    final String topic;

    PeerFeed(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        this.topic = topic;
    }

    /**
     * The next {@code atLeast} change events or more, up to the end of a source transaction, waiting up to
     * {@code timeout}; events of an unfinished transaction stay for the next call.
     */
    List<BatchApplier.RemoteEvent> next(int atLeast, Duration timeout) throws EventDecodingException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (codec.decode(record.value()) instanceof ChangeEvent change) {
                    buffered.add(new BatchApplier.RemoteEvent(change, record.offset()));
                }
            }
            int whole = wholeTransactions();
            if (whole >= atLeast) {
                List<BatchApplier.RemoteEvent> batch = new ArrayList<>(buffered.subList(0, whole));
                buffered.subList(0, whole).clear();
                return batch;
            }
        }
        throw new AssertionError("expected " + atLeast + " events on " + topic + " within " + timeout + ", have "
                + buffered.size() + " (" + wholeTransactions() + " in whole transactions)");
    }

    /** Reads whatever comes within {@code quiet}; for checking that nothing more is published. */
    List<ChangeEvent> drain(Duration quiet) throws EventDecodingException {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (codec.decode(record.value()) instanceof ChangeEvent change) {
                    buffered.add(new BatchApplier.RemoteEvent(change, record.offset()));
                }
            }
        }
        List<ChangeEvent> events = buffered.stream().map(BatchApplier.RemoteEvent::event).toList();
        buffered.clear();
        return events;
    }

    private int wholeTransactions() {
        for (int i = buffered.size() - 1; i >= 0; i--) {
            if (buffered.get(i).event().getSource().getLast()) {
                return i + 1;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
