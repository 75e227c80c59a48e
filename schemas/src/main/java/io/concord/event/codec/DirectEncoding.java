package io.concord.event.codec;

import io.concord.event.Column;
import io.concord.event.ColumnState;
import io.concord.event.DateValue;
import io.concord.event.Datum;
import io.concord.event.RowVersion;
import io.concord.event.TimestampTzValue;
import io.concord.event.TimestampValue;
import io.concord.event.UuidValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The parts of Concord's records that are written for every row, written straight to Avro's binary encoding:
 * byte for byte what Avro's own writer gives for the same record, without its per-field lookups and its union
 * resolution by schema name (the generated fast coders are off for these records: the {@code Datum} union has more
 * than two branches). Common values (null, booleans, numbers, text, timestamps, dates, uuids) are written by hand;
 * the rest through Avro's writer for that one value. Used by {@link EventCodec} for change events and by the
 * replicator for stored row states; their tests hold each writer to Avro's bytes. Thread-safe.
 */
public final class DirectEncoding {

    static {
        TrustedClasses.ensure(); // before the writers below are built
    }

    private static final Schema DATUM_UNION = Datum.getClassSchema().getField("value").schema();
    private static final int NULL = branch(Schema.Type.NULL);
    private static final int BOOLEAN = branch(Schema.Type.BOOLEAN);
    private static final int INT = branch(Schema.Type.INT);
    private static final int LONG = branch(Schema.Type.LONG);
    private static final int FLOAT = branch(Schema.Type.FLOAT);
    private static final int DOUBLE = branch(Schema.Type.DOUBLE);
    private static final int STRING = branch(Schema.Type.STRING);
    private static final int TIMESTAMPTZ = branch(TimestampTzValue.getClassSchema());
    private static final int TIMESTAMP = branch(TimestampValue.getClassSchema());
    private static final int DATE = branch(DateValue.getClassSchema());
    private static final int UUID = branch(UuidValue.getClassSchema());

    // Avro's writers keep no state between calls: shared by every thread, as Avro's message encoders share theirs.
    private static final SpecificDatumWriter<Datum> DATUMS = new SpecificDatumWriter<>(Datum.getClassSchema());
    private static final SpecificDatumWriter<ColumnState> COLUMN_STATES =
            new SpecificDatumWriter<>(ColumnState.getClassSchema());

    private DirectEncoding() {
    }

    /** The 10-byte single-object header of a record written with {@code schema}: marker and fingerprint. */
    public static byte[] header(Schema schema) {
        ByteBuffer header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0xC3).put((byte) 0x01).putLong(EventCodec.fingerprint(schema));
        return header.array();
    }

    /** An {@code array<Column>}. */
    public static void writeColumns(List<Column> columns, BinaryEncoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(columns.size());
        for (Column column : columns) {
            out.startItem();
            writeColumn(column.getName(), column.getType(), column.getValue(), out);
        }
        out.writeArrayEnd();
    }

    /** A {@code ["null", array<Column>]}. */
    public static void writeNullableColumns(List<Column> columns, BinaryEncoder out) throws IOException {
        if (columns == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            writeColumns(columns, out);
        }
    }

    /** A {@code Column} record from its parts. */
    public static void writeColumn(CharSequence name, CharSequence type, Datum value, BinaryEncoder out)
            throws IOException {
        out.writeString(name.toString());
        out.writeString(type.toString());
        writeDatum(value, out);
    }

    /** A {@code Datum} record: its one field, the union. */
    public static void writeDatum(Datum datum, BinaryEncoder out) throws IOException {
        Object value = datum.getValue();
        if (value == null) {
            out.writeIndex(NULL);
        } else if (value instanceof Boolean b) {
            out.writeIndex(BOOLEAN);
            out.writeBoolean(b);
        } else if (value instanceof Integer i) {
            out.writeIndex(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeIndex(LONG);
            out.writeLong(l);
        } else if (value instanceof Float f) {
            out.writeIndex(FLOAT);
            out.writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeIndex(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof String s) {
            out.writeIndex(STRING);
            out.writeString(s);
        } else if (value instanceof TimestampTzValue t) { // records of one field: the field is the record
            out.writeIndex(TIMESTAMPTZ);
            out.writeLong(t.getMicros());
        } else if (value instanceof TimestampValue t) {
            out.writeIndex(TIMESTAMP);
            out.writeLong(t.getMicros());
        } else if (value instanceof DateValue d) {
            out.writeIndex(DATE);
            out.writeInt(d.getDays());
        } else if (value instanceof UuidValue u) {
            out.writeIndex(UUID);
            out.writeFixed(u.bytes());
        } else {
            DATUMS.write(datum, out); // another record branch, bytes, or a Utf8: Avro's writer, for this value
        }
    }

    /** An {@code array<string>}. */
    public static void writeStrings(List<? extends CharSequence> strings, BinaryEncoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(strings.size());
        for (CharSequence string : strings) {
            out.startItem();
            out.writeString(string.toString());
        }
        out.writeArrayEnd();
    }

    /** A {@code ["null", array<string>]}. */
    public static void writeNullableStrings(List<? extends CharSequence> strings, BinaryEncoder out)
            throws IOException {
        if (strings == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            writeStrings(strings, out);
        }
    }

    /** A {@code RowVersion} record: the vector's entries in the map's own order, as Avro writes them. */
    public static void writeVersion(Map<? extends CharSequence, Long> vector, long hlc, CharSequence dc,
            BinaryEncoder out) throws IOException {
        out.writeMapStart();
        out.setItemCount(vector.size());
        for (Map.Entry<? extends CharSequence, Long> entry : vector.entrySet()) {
            out.startItem();
            out.writeString(entry.getKey().toString());
            out.writeLong(entry.getValue());
        }
        out.writeMapEnd();
        out.writeLong(hlc);
        out.writeString(dc.toString());
    }

    /** A {@code RowVersion} record. */
    public static void writeVersion(RowVersion version, BinaryEncoder out) throws IOException {
        writeVersion(version.getVector(), version.getHlc(), version.getDc(), out);
    }

    /** A {@code ["null", array<ColumnState>]}, through Avro's writer (merge tables only). */
    public static void writeNullableColumnStates(List<ColumnState> states, BinaryEncoder out) throws IOException {
        if (states == null) {
            out.writeIndex(0);
            return;
        }
        out.writeIndex(1);
        out.writeArrayStart();
        out.setItemCount(states.size());
        for (ColumnState state : states) {
            out.startItem();
            COLUMN_STATES.write(state, out);
        }
        out.writeArrayEnd();
    }

    private static int branch(Schema record) {
        int branch = DATUM_UNION.getIndexNamed(record.getFullName());
        if (branch < 0) {
            throw new IllegalStateException("Datum.value has no " + record.getFullName() + " branch");
        }
        return branch;
    }

    private static int branch(Schema.Type type) {
        List<Schema> branches = DATUM_UNION.getTypes();
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i).getType() == type) {
                return i;
            }
        }
        throw new IllegalStateException("Datum.value has no " + type + " branch");
    }
}
