package io.concord.event.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.ChangeEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The field-by-field writer of change events writes exactly the bytes Avro's own writer gives. */
class ChangeEventWriterTest {

    private final EventCodec codec = new EventCodec(); // first: it lets Avro build Concord's classes
    private final BinaryMessageEncoder<ChangeEvent> avro = new BinaryMessageEncoder<>(
            SpecificData.getForSchema(ChangeEvent.getClassSchema()), ChangeEvent.getClassSchema());

    @Test
    void anEventOfEveryValueTypeIsWrittenAsAvroWritesIt() throws Exception {
        ChangeEvent event = EventCodecTest.sampleEvent();

        assertThat(ChangeEventWriter.encode(event)).isEqualTo(avroBytes(event));
        assertThat(codec.decode(ChangeEventWriter.encode(event))).isEqualTo(event);
    }

    /** Random events that take every branch of every union, nested arrays and column states included. */
    @Test
    void randomEventsTakingEveryUnionBranchAreWrittenAsAvroWritesThem() throws Exception {
        for (long seed = 0; seed < 300; seed++) {
            GenericRecord generic = (GenericRecord) new SampleRecords(seed).sample(ChangeEvent.getClassSchema());
            ChangeEvent event = (ChangeEvent) codec.decode(genericBytes(generic)); // as apply reads it, Utf8 aside

            assertThat(ChangeEventWriter.encode(event)).as("seed %d", seed).isEqualTo(avroBytes(event));
        }
    }

    @Test
    void aRequiredFieldLeftNullIsNamedByTheCodec() {
        ChangeEvent event = EventCodecTest.sampleEvent();
        event.setEventId(null);

        assertThatThrownBy(() -> codec.encode(event)).hasMessageContaining("eventId");
    }

    /**
     * Prints what encoding one bench row's change ({@code items}: int8, int4, text, timestamptz) costs each way, in
     * one run, side by side: a benchmark's number, not a timed assertion. Checks only that both wrote the same bytes.
     */
    @Test
    void printsTheCostOfBothWritersSideBySide() throws Exception {
        ChangeEvent event = EventCodecTest.benchRowEvent(1_000_000_001L);
        long[] nanos = {Long.MAX_VALUE, Long.MAX_VALUE};
        byte[][] last = new byte[2][];
        for (int round = 0; round < 10; round++) { // the best round of each counts: the first ones warm the JIT up
            for (int way = 0; way < 2; way++) {
                long start = System.nanoTime();
                for (int i = 0; i < 20_000; i++) {
                    last[way] = way == 0 ? avroBytes(event) : ChangeEventWriter.encode(event);
                }
                nanos[way] = Math.min(nanos[way], System.nanoTime() - start);
            }
        }
        System.out.printf(
                "change event encoding, one items row: Avro's writer %.2f µs, direct writer %.2f µs (%.1fx)%n",
                nanos[0] / 20_000 / 1e3, nanos[1] / 20_000 / 1e3, (double) nanos[0] / nanos[1]);
        assertThat(last[1]).isEqualTo(last[0]);
    }

    private byte[] avroBytes(ChangeEvent event) throws Exception {
        ByteBuffer buffer = avro.encode(event);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] genericBytes(GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DirectEncoding.header(ChangeEvent.getClassSchema()));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(ChangeEvent.getClassSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
