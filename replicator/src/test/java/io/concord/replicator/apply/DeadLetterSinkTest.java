package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.DeadLetter;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.store.DeadLetterStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** What reaches the dead-letter topic, and what happens to a letter too large for it. */
class DeadLetterSinkTest {

    private static final int TOPIC_LIMIT = 1024 * 1024;

    private final EventCodec codec = new EventCodec();
    private final SizeLimitedProducer producer = new SizeLimitedProducer();
    private final DeadLetterSink sink = new DeadLetterSink("b", "concord.dlq.b", null, producer, codec,
            Clock.systemUTC());

    @Test
    void aLetterIsPublishedWithItsKeyPayloadAndReason() throws Exception {
        sink.publish(List.of(letter(7, new byte[] {1, 2, 3})));

        DeadLetter published = published(0);
        assertThat(published.getSourceOffset()).isEqualTo(7);
        assertThat(published.getReason()).isEqualTo("value too long for type character varying(200)");
        assertThat(published.getPayload().remaining()).isEqualTo(3);
        assertThat(published.getKey()).isNotNull();
    }

    @Test
    void aLetterTooLargeForTheTopicIsPublishedWithoutItsPayloadAndSaysSo() throws Exception {
        sink.publish(List.of(letter(8, new byte[10 * 1024 * 1024]), letter(9, new byte[] {4})));

        DeadLetter shortened = published(0);
        assertThat(shortened.getSourceOffset()).isEqualTo(8);
        assertThat(shortened.getPayload()).isNull();
        assertThat(shortened.getKey()).isNull();
        assertThat(shortened.getReason()).startsWith("value too long").contains("(10485765 bytes) left out of this topic")
                .contains("concord.dead_letters in DC b keeps them");
        assertThat(published(1).getSourceOffset()).as("the next letter goes out as usual").isEqualTo(9);
        assertThat(producer.history()).hasSize(2);
    }

    private static DeadLetterStore.DeadLetter letter(long offset, byte[] payload) {
        return new DeadLetterStore.DeadLetter("DATA", "value too long for type character varying(200)",
                "concord.changes.a", 0, offset, "public.items", "k".repeat(5).getBytes(), payload);
    }

    private DeadLetter published(int index) throws Exception {
        return (DeadLetter) codec.decode(producer.history().get(index).value());
    }

    /** A producer that refuses records larger than a topic's default limit, as Kafka does. */
    private static final class SizeLimitedProducer extends MockProducer<byte[], byte[]> {

        SizeLimitedProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            if (record.value().length > TOPIC_LIMIT) {
                return CompletableFuture.failedFuture(new RecordTooLargeException("the message is "
                        + record.value().length + " bytes when serialized, larger than " + TOPIC_LIMIT));
            }
            return super.send(record);
        }
    }
}
