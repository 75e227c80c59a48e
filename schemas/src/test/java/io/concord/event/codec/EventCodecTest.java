package io.concord.event.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.ArrayValue;
import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.DateValue;
import io.concord.event.Datum;
import io.concord.event.DeadLetter;
import io.concord.event.EnumValue;
import io.concord.event.Heartbeat;
import io.concord.event.IntervalValue;
import io.concord.event.JsonValue;
import io.concord.event.NumericSpecial;
import io.concord.event.NumericValue;
import io.concord.event.Operation;
import io.concord.event.RowStateRecord;
import io.concord.event.RowVersion;
import io.concord.event.Sibling;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.event.TextValue;
import io.concord.event.TimeTzValue;
import io.concord.event.TimeValue;
import io.concord.event.TimestampTzValue;
import io.concord.event.TimestampValue;
import io.concord.event.UuidValue;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void changeEventWithEveryValueBranchRoundTrips() throws Exception {
        ChangeEvent event = sampleEvent();

        byte[] bytes = codec.encode(event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(EventCodec.fingerprintOf(bytes)).isEqualTo(EventCodec.fingerprint(ChangeEvent.SCHEMA$));
        assertThat(codec.decode(bytes)).isEqualTo(event);
    }

    @Test
    void heartbeatsAndDeadLettersShareTheCodecAndAreToldApartByFingerprint() throws Exception {
        Heartbeat heartbeat = new Heartbeat("a", 1_700_000_000_000_000L, 0x16B3748L, 1_700_000_000_000_123L);
        DeadLetter deadLetter = DeadLetter.newBuilder().setDetectedIn("b").setTimeMicros(5).setReason("unknown table")
                .setErrorClass("UNKNOWN_TABLE").setSourceTopic("concord.changes.a").setSourcePartition(0)
                .setSourceOffset(42).setKey(ByteBuffer.wrap(new byte[] {1})).setPayload(null).build();

        assertThat(codec.decode(codec.encode(heartbeat))).isEqualTo(heartbeat);
        assertThat(codec.decode(codec.encode(deadLetter))).isEqualTo(deadLetter);
    }

    @Test
    void storedRowStatesShareTheCodec() throws Exception {
        RowStateRecord state = sampleRowState();

        byte[] bytes = codec.encode(state);

        assertThat(EventCodec.fingerprintOf(bytes)).isEqualTo(EventCodec.fingerprint(RowStateRecord.SCHEMA$));
        assertThat(codec.decode(bytes)).isEqualTo(state);
    }

    @Test
    void garbageIsRejectedAsNotSingleObject() {
        assertThatThrownBy(() -> codec.decode("hello world".getBytes()))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("not an Avro single-object message")
                .extracting(e -> ((EventDecodingException) e).kind())
                .isEqualTo(EventDecodingException.Kind.NOT_SINGLE_OBJECT);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(EventDecodingException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 1, 2}))
                .hasMessageContaining("3 bytes");
    }

    @Test
    void anUnknownFingerprintIsNamedInHex() throws Exception {
        Schema stranger = SchemaBuilder.record("Stranger").namespace("elsewhere").fields()
                .requiredString("name").endRecord();
        GenericData.Record record = new GenericData.Record(stranger);
        record.put("name", "x");
        byte[] payload = new BinaryMessageEncoder<GenericData.Record>(GenericData.get(), stranger).encode(record).array();

        assertThatThrownBy(() -> codec.decode(payload))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining(String.format("%016x", EventCodec.fingerprint(stranger)))
                .extracting(e -> ((EventDecodingException) e).kind())
                .isEqualTo(EventDecodingException.Kind.UNKNOWN_SCHEMA);
    }

    @Test
    void aTruncatedBodyIsCorrupt() {
        byte[] bytes = codec.encode(sampleEvent());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("corrupt ChangeEvent")
                .extracting(e -> ((EventDecodingException) e).kind())
                .isEqualTo(EventDecodingException.Kind.CORRUPT);
    }

    /** Two siblings, one a tombstone, and the current row they settled into. */
    static RowStateRecord sampleRowState() {
        ChangeEvent event = sampleEvent();
        Sibling live = new Sibling(Operation.UPDATE, event.getAfter(), event.getVersion(), null,
                event.getKey(), List.of("c1"));
        Sibling tombstone = new Sibling(Operation.DELETE, null,
                new RowVersion(Map.of("b", 2L), 1_700_000_000_000_002L, "b"), null, null, null);
        return new RowStateRecord(List.of(live, tombstone),
                new Sibling(Operation.UPDATE, event.getAfter(),
                        new RowVersion(Map.of("a", 3L, "b", 2L), 1_700_000_000_000_002L, "b"), null, null, null),
                Map.of("id", "int8"));
    }

    /** The change of one row of the bench's {@code items} table (int8, int4, text, timestamptz). */
    static ChangeEvent benchRowEvent(long id) {
        return ChangeEvent.newBuilder().setEventId("a/0/16B3748/" + id).setOrigin("a").setPublishedBy("a")
                .setTable(new TableRef("public", "items")).setOp(Operation.INSERT)
                .setKey(List.of(new Column("id", "int8", new Datum(id)))).setBefore(null)
                .setAfter(List.of(new Column("id", "int8", new Datum(id)),
                        new Column("k", "int4", new Datum(42)),
                        new Column("v", "text", new Datum("d6ea4b2a5ef12b4a1ffd1e8e36a17b0f")),
                        new Column("updated_at", "timestamptz",
                                new Datum(new TimestampTzValue(1_700_000_000_123_456L)))))
                .setUnchangedToastColumns(List.of()).setChangedColumns(null)
                .setVersion(new RowVersion(Map.of("a", 12_345L), 1_700_000_000_000_001L, "a")).setColumnStates(null)
                .setSource(new SourceTransaction(731L, 0x16B3748L, 1_700_000_000_000_000L, 0, true)).build();
    }

    static ChangeEvent sampleEvent() {
        List<Object> values = List.of(
                true, 42, 9_000_000_000L, 1.5f, 2.25d, "text",
                ByteBuffer.wrap(new byte[] {0, 1, 2}),
                new NumericValue(ByteBuffer.wrap(new BigInteger("-123456789012345678901234567890").toByteArray()), 5,
                        NumericSpecial.FINITE),
                new NumericValue(ByteBuffer.allocate(0), 0, NumericSpecial.NAN),
                new UuidValue(new byte[16]),
                new JsonValue("{\"a\": [1, 2]}", true),
                new DateValue(-719_528), new TimeValue(86_400_000_000L), new TimeTzValue(3_600_000_000L, -12_600),
                new TimestampValue(Long.MAX_VALUE), new TimestampTzValue(-1L),
                new IntervalValue(14, -3, 14_706_789_000L),
                new EnumValue("mood", "happy"),
                new ArrayValue("int4", List.of(2, 2), List.of(1, 1),
                        List.of(new Datum(1), new Datum(null), new Datum(3), new Datum(4))),
                new TextValue("inet", "192.168.0.1/24"));
        List<Column> after = new java.util.ArrayList<>();
        after.add(new Column("id", "int8", new Datum(7L)));
        after.add(new Column("nothing", "text", new Datum(null)));
        for (int i = 0; i < values.size(); i++) {
            after.add(new Column("c" + i, "t" + i, new Datum(values.get(i))));
        }
        return ChangeEvent.newBuilder()
                .setEventId("a/0/16B3748/0").setOrigin("a").setPublishedBy("a")
                .setTable(new TableRef("public", "everything")).setOp(Operation.UPDATE)
                .setKey(List.of(new Column("id", "int8", new Datum(7L))))
                .setBefore(null).setAfter(after)
                .setUnchangedToastColumns(List.of("big"))
                .setChangedColumns(List.of("c1"))
                .setVersion(new RowVersion(Map.of("a", 3L, "b", 1L), 1_700_000_000_000_001L, "a"))
                .setColumnStates(null)
                .setSource(new SourceTransaction(731L, 0x16B3748L, 1_700_000_000_000_000L, 0, true))
                .build();
    }
}
