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
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the apply topology sets aside what it cannot apply: {@code concord.dead_letters} (first, the record
 * people query) and the DC's dead-letter topic as an Avro {@link DeadLetter}. Both are keyed by source
 * position in effect: a replay records the row once, and may publish the letter again (at least once).
 *
 * <p>A letter too large for the topic (its payload is the record that could not be applied, which may be as
 * large as the source topic allows) is published without its key and payload, its reason saying so:
 * {@code concord.dead_letters} keeps them. Failing instead would kill the stream thread on every retry of the
 * same record, and stop apply.
 */
final class DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);
    private static final int MAX_REASON = 10_000;

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

    private void publish(List<DeadLetterStore.DeadLetter> letters, List<byte[]> keys) {
        for (int i = 0; i < letters.size(); i++) {
            publish(letters.get(i), keys.get(i));
        }
    }

    /** Publishes letters already recorded in PostgreSQL (by an applier, in its transaction), each with its own key. */
    void publish(List<DeadLetterStore.DeadLetter> letters) {
        letters.forEach(letter -> publish(letter, letter.key()));
    }

    private void publish(DeadLetterStore.DeadLetter letter, byte[] key) {
        try {
            send(letter, key, letter.payload(), letter.reason());
        } catch (RecordTooLargeException tooLarge) {
            int size = (key == null ? 0 : key.length) + (letter.payload() == null ? 0 : letter.payload().length);
            LOG.warn("dead letter of {}:{}@{} is too large for {} ({} bytes of key and payload): publishing it without"
                    + " them", letter.source(), letter.partition(), letter.offset(), topic, size);
            String reason = letter.reason().length() > MAX_REASON ? letter.reason().substring(0, MAX_REASON) + "..."
                    : letter.reason();
            send(letter, null, null, reason + " [key and payload (" + size + " bytes) left out of this topic, too"
                    + " large for it; concord.dead_letters in DC " + dc + " keeps them]");
        }
    }

    /** Sends one letter and waits for Kafka's acknowledgement. */
    private void send(DeadLetterStore.DeadLetter letter, byte[] key, byte[] payload, String reason) {
        DeadLetter avro = DeadLetter.newBuilder()
                .setDetectedIn(dc)
                .setTimeMicros(clock.millis() * 1_000)
                .setReason(reason)
                .setErrorClass(letter.errorClass())
                .setSourceTopic(letter.source())
                .setSourcePartition(letter.partition())
                .setSourceOffset(letter.offset())
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .build();
        try {
            producer.send(new ProducerRecord<>(topic, key, codec.encode(avro))).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a dead letter to " + topic, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge && (payload != null || key != null)) {
                throw tooLarge;
            }
            throw notPublished(letter, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw notPublished(letter, e);
        }
    }

    private IllegalStateException notPublished(DeadLetterStore.DeadLetter letter, Throwable cause) {
        // Thrown on: the stream thread is replaced, and the record is read (and set aside) again.
        return new IllegalStateException("cannot publish the dead letter of " + letter.source() + ":"
                + letter.partition() + "@" + letter.offset() + " to " + topic + ": " + cause.getMessage(), cause);
    }
}
