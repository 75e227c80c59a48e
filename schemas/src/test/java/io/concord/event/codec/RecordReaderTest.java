package io.concord.event.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Heartbeat;
import io.concord.event.Operation;
import io.concord.event.RowStateRecord;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The direct reader of events and row states gives exactly what Avro's decoder gives, and fails where it fails. */
class RecordReaderTest {

    private final EventCodec codec = new EventCodec(); // first: it lets Avro build Concord's classes
    private final RecordReader reader = new RecordReader(codec);

    @Test
    void anEventOfEveryValueTypeReadsAsAvroReadsIt() throws Exception {
        ChangeEvent event = EventCodecTest.sampleEvent();
        byte[] bytes = codec.encode(event);

        assertThat(reader.changeEvent(bytes)).isEqualTo(codec.decode(bytes)).isEqualTo(event);
        assertThat(reader.decode(bytes)).isEqualTo(event);
    }

    /**
     * Random events and row states that take every branch of every union: nested arrays, column states, siblings
     * with and without images.
     */
    @Test
    void randomRecordsTakingEveryUnionBranchReadAsAvroReadsThem() throws Exception {
        assertRandomRecordsReadAsAvro(ChangeEvent.getClassSchema(), reader::changeEvent);
        assertRandomRecordsReadAsAvro(RowStateRecord.getClassSchema(), reader::rowState);
    }

    private void assertRandomRecordsReadAsAvro(Schema schema, Function<byte[], Object> directRead) throws Exception {
        for (long seed = 0; seed < 300; seed++) {
            GenericRecord generic = (GenericRecord) new SampleRecords(seed).sample(schema);
            byte[] bytes = encode(schema, generic, 0);

            assertThat(directRead.apply(bytes)).as("%s seed %d", schema.getName(), seed).isEqualTo(codec.decode(bytes));
        }
    }

    @Test
    void aStoredRowStateReadsAsAvroReadsIt() throws Exception {
        byte[] bytes = codec.encode(EventCodecTest.sampleRowState());

        assertThat(reader.rowState(bytes)).isEqualTo(codec.decode(bytes)).isEqualTo(EventCodecTest.sampleRowState());
        assertThat(reader.decode(bytes)).isEqualTo(EventCodecTest.sampleRowState());
    }

    /** Avro's blocking encoder splits long arrays into blocks with negative counts and byte sizes. */
    @Test
    void arraysAndMapsWrittenInSeveralBlocksReadWhole() throws Exception {
        List<Column> after = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            after.add(new Column("c" + i, "text", new Datum("value of column " + i)));
        }
        ChangeEvent event = ChangeEvent.newBuilder(EventCodecTest.benchRowEvent(1)).setAfter(after).build();
        byte[] bytes = encode(ChangeEvent.getClassSchema(), event, 64);

        assertThat(bytes).isNotEqualTo(codec.encode(event)); // the blocks are there
        assertThat(reader.changeEvent(bytes)).isEqualTo(event).isEqualTo(codec.decode(bytes));
    }

    @Test
    void theSameNameReadTwiceIsOneString() {
        ChangeEvent first = reader.changeEvent(codec.encode(EventCodecTest.benchRowEvent(1)));
        ChangeEvent second = reader.changeEvent(codec.encode(EventCodecTest.benchRowEvent(2)));

        for (int i = 0; i < first.getAfter().size(); i++) {
            assertThat(second.getAfter().get(i).getName()).isSameAs(first.getAfter().get(i).getName());
            assertThat(second.getAfter().get(i).getType()).isSameAs(first.getAfter().get(i).getType());
        }
        assertThat(second.getKey().get(0).getName()).isSameAs(first.getAfter().get(0).getName());
        assertThat(second.getTable().getName()).isSameAs(first.getTable().getName());
        assertThat(second.getOrigin()).isSameAs(first.getOrigin()).isSameAs(first.getVersion().getDc());
        // Values are not names: equal, but each read anew.
        assertThat(second.getEventId()).isNotSameAs(first.getEventId());
    }

    @Test
    void aPoolFullOfNamesEmptiesAndStillReadsEveryNameRight() {
        NamePool pool = new NamePool();
        for (int i = 0; i < NamePool.CAPACITY * 3; i++) {
            byte[] bytes = ("column_" + i).getBytes();
            assertThat(pool.name(bytes, 0, bytes.length)).isEqualTo("column_" + i);
        }
        byte[] twice = "x_column".getBytes();
        assertThat(pool.name(twice, 0, twice.length)).isSameAs(pool.name(twice.clone(), 0, twice.length));
    }

    /**
     * Every truncation of an event or a row state fails the direct read as malformed (never an index out of bounds
     * or a wrong record), and decoding it fails as the codec fails it.
     */
    @Test
    void everyTruncatedRecordIsMalformedAndDecodesToTheCodecsError() throws Exception {
        assertEveryTruncationIsMalformed(codec.encode(EventCodecTest.sampleEvent()), reader::changeEvent);
        assertEveryTruncationIsMalformed(codec.encode(EventCodecTest.sampleRowState()), reader::rowState);
    }

    private void assertEveryTruncationIsMalformed(byte[] bytes, Consumer<byte[]> directRead) {
        for (int length = 10; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);

            assertThatThrownBy(() -> directRead.accept(truncated)).as("length %d", length)
                    .isInstanceOf(AvroInput.MalformedAvroException.class);
            String codecMessage = messageOf(() -> codec.decode(truncated));
            assertThatThrownBy(() -> reader.decode(truncated)).as("length %d", length)
                    .isInstanceOf(EventDecodingException.class).hasMessage(codecMessage);
        }
    }

    @Test
    void aBranchOrSymbolOutOfRangeIsMalformed() {
        byte[] bytes = codec.encode(EventCodecTest.benchRowEvent(1));
        int op = 10 + 1 + "a/0/16B3748/1".length() + 2 + 2 + 1 + "public".length() + 1 + "items".length();
        bytes[op] = 0x06; // zig-zag 3: Operation has three symbols, 0..2

        assertThatThrownBy(() -> reader.changeEvent(bytes)).isInstanceOf(AvroInput.MalformedAvroException.class)
                .hasMessageContaining("Operation index 3 out of 0..2");
        assertThatThrownBy(() -> reader.decode(bytes)).isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("corrupt ChangeEvent");
    }

    @Test
    void heartbeatsAndRecordsOfReleasedSchemasDecodeAsTheCodecDecodesThem() throws Exception {
        Heartbeat heartbeat = new Heartbeat("a", 1_700_000_000_000_000L, 0x16B3748L, 1_700_000_000_000_123L);
        assertThat(reader.decode(codec.encode(heartbeat))).isEqualTo(heartbeat);

        for (SchemaHistory.Released released : SchemaHistory.all()) {
            if (!released.record().equals("ChangeEvent") && !released.record().equals("RowStateRecord")) {
                continue;
            }
            for (long seed = 0; seed < 20; seed++) {
                GenericRecord generic = (GenericRecord) new SampleRecords(seed).sample(released.schema());
                byte[] bytes = encode(released.schema(), generic, 0);

                assertThat(reader.decode(bytes)).as("%s seed %d", released.version(), seed)
                        .isEqualTo(codec.decode(bytes));
            }
        }
    }

    /**
     * Prints what decoding one bench row's change costs each way, in one run, side by side: a benchmark's number,
     * not a timed assertion. Checks only that both read the same event.
     */
    @Test
    void printsTheCostOfBothReadersSideBySide() throws Exception {
        byte[] bytes = codec.encode(EventCodecTest.benchRowEvent(1_000_000_001L));
        long[] nanos = {Long.MAX_VALUE, Long.MAX_VALUE};
        Object[] last = new Object[2];
        for (int round = 0; round < 10; round++) { // the best round of each counts: the first ones warm the JIT up
            for (int way = 0; way < 2; way++) {
                long start = System.nanoTime();
                for (int i = 0; i < 20_000; i++) {
                    last[way] = way == 0 ? codec.decode(bytes) : reader.decode(bytes);
                }
                nanos[way] = Math.min(nanos[way], System.nanoTime() - start);
            }
        }
        System.out.printf("change event decoding, one items row: Avro's decoder %.2f µs, direct reader %.2f µs"
                + " (%.1fx)%n", nanos[0] / 20_000 / 1e3, nanos[1] / 20_000 / 1e3, (double) nanos[0] / nanos[1]);
        assertThat(last[1]).isEqualTo(last[0]);
    }

    private static String messageOf(ThrowingCall call) {
        try {
            call.run();
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("the codec decoded what the reader found malformed");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** The record in single-object encoding; with {@code blockSize} > 0, arrays and maps in blocks of that size. */
    private static byte[] encode(Schema schema, Object record, int blockSize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DirectEncoding.header(schema));
        BinaryEncoder encoder = blockSize > 0
                ? new EncoderFactory().configureBlockSize(blockSize).blockingBinaryEncoder(out, null)
                : EncoderFactory.get().binaryEncoder(out, null);
        if (record instanceof ChangeEvent event) {
            new SpecificDatumWriter<ChangeEvent>(schema).write(event, encoder);
        } else {
            new GenericDatumWriter<GenericRecord>(schema).write((GenericRecord) record, encoder);
        }
        encoder.flush();
        return out.toByteArray();
    }
}
