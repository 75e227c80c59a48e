package io.concord.replicator.apply;

import io.concord.event.DeadLetter;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.store.DeadLetterStore;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where the apply topology sets aside what it cannot apply: {@code concord.dead_letters} (first, the record
 * people query) and the DC's dead-letter topic as an Avro {@link DeadLetter}. Both are keyed by source
 * position in effect: a replay records the row once, and may publish the letter again (at least once).
 */
final class DeadLetterSink {

    private final String dc;
    private final String topic;
    private final ApplyStore store;
    private final Producer<byte[], byte[]> producer;
    private final EventCodec codec;
    private final Clock clock;

    DeadLetterSink(String dc, String topic, ApplyStore store, Producer<byte[], byte[]> producer, EventCodec codec,
            Clock clock) {
        this.dc = dc;
        this.topic = topic;
        this.store = store;
        this.producer = producer;
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * Records the letters (and the progress past them, if given) in PostgreSQL, then publishes them.
     *
     * @param keys the Kafka keys as received, one per letter (null where there was none)
     */
    void record(List<DeadLetterStore.DeadLetter> letters, List<byte[]> keys, ApplyStore.Progress progress)
            throws SQLException {
        store.deadLetters(letters, progress);
        publish(letters, keys);
    }

    /** Publishes letters an applier recorded in its own transaction, keyed by their row. */
    void publish(List<DeadLetterStore.DeadLetter> letters) {
        publish(letters, letters.stream().map(DeadLetterStore.DeadLetter::key).toList());
    }

    private void publish(List<DeadLetterStore.DeadLetter> letters, List<byte[]> keys) {
        for (int i = 0; i < letters.size(); i++) {
            DeadLetterStore.DeadLetter letter = letters.get(i);
            DeadLetter avro = DeadLetter.newBuilder()
                    .setDetectedIn(dc)
                    .setTimeMicros(clock.millis() * 1_000)
                    .setReason(letter.reason())
                    .setErrorClass(letter.errorClass())
                    .setSourceTopic(letter.source())
                    .setSourcePartition(letter.partition())
                    .setSourceOffset(letter.offset())
                    .setKey(keys.get(i) == null ? null : ByteBuffer.wrap(keys.get(i)))
                    .setPayload(letter.payload() == null ? null : ByteBuffer.wrap(letter.payload()))
                    .build();
            try {
                producer.send(new ProducerRecord<>(topic, keys.get(i), codec.encode(avro))).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing a dead letter to " + topic, e);
            } catch (ExecutionException | TimeoutException e) {
                // Thrown on: the stream thread is replaced, and the record is read (and set aside) again.
                throw new IllegalStateException("cannot publish the dead letter of " + letter.source() + ":"
                        + letter.partition() + "@" + letter.offset() + " to " + topic + ": " + e.getMessage(), e);
            }
        }
    }
}
