package io.concord.event.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.event.TimestampTzValue;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
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
        ChangeEvent event = ChangeEvent.newBuilder().setEventId("a/0/16B3748/0").setOrigin("a").setPublishedBy("a")
                .setTable(new TableRef("public", "items")).setOp(Operation.INSERT)
                .setKey(List.of(new Column("id", "int8", new Datum(1_000_000_001L)))).setBefore(null)
                .setAfter(List.of(new Column("id", "int8", new Datum(1_000_000_001L)),
                        new Column("k", "int4", new Datum(42)),
                        new Column("v", "text", new Datum("d6ea4b2a5ef12b4a1ffd1e8e36a17b0f")),
                        new Column("updated_at", "timestamptz", new Datum(new TimestampTzValue(1_700_000_000_123_456L)))))
                .setUnchangedToastColumns(List.of()).setChangedColumns(null)
                .setVersion(new RowVersion(Map.of("a", 12_345L), 1_700_000_000_000_001L, "a")).setColumnStates(null)
                .setSource(new SourceTransaction(731L, 0x16B3748L, 1_700_000_000_000_000L, 0, true)).build();
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
        System.out.printf("change event encoding, one items row: Avro's writer %.2f µs, direct writer %.2f µs (%.1fx)%n",
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
