package io.concord.replicator.store;

import io.concord.event.ColumnState;
import io.concord.event.DateValue;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.RowStateRecord;
import io.concord.event.TimestampTzValue;
import io.concord.event.TimestampValue;
import io.concord.event.UuidValue;
import io.concord.event.codec.EventCodec;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes a row state's stored bytes straight from the resolvers' {@link RowState}: byte for byte what
 * {@link EventCodec} writes for {@link RowStateCodec#toRecord} (a {@link RowStateRecord} in single-object
 * encoding), without building the Avro records first.
 *
 * <p>Why: capture stores a state for every row it versions and apply one for every row it settles, and Avro's
 * generic writer was the largest part of both. Its generated fast coders are off for these records (the {@code
 * Datum} union has more than two branches), so every field went through reflection-like lookups and union
 * resolution by schema name. Here the common values (null, booleans, numbers, text) are written directly, and
 * only the rare ones (numeric, dates, arrays, column states) go through Avro's writer for their own record.
 * {@code RowStateWriterTest} holds the two to the same bytes. Thread-safe.
 */
final class RowStateWriter {

    private static final byte[] HEADER = header();
    private static final Schema OPERATION = Operation.getClassSchema();
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

    private final SpecificDatumWriter<Datum> datums = new SpecificDatumWriter<>(Datum.getClassSchema());
    private final SpecificDatumWriter<ColumnState> columnStates = new SpecificDatumWriter<>(ColumnState.getClassSchema());

    /**
     * The stored bytes of {@code state}; {@code types} names the type of every column of every image.
     *
     * @throws IllegalArgumentException as {@link RowStateCodec#encode}: a column with no type, a value that does
     *     not fit its type
     */
    byte[] encode(RowState state, Map<String, String> types) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.writeBytes(HEADER);
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            List<VersionedRow> siblings = state.siblings();
            TreeSet<String> mentioned = new TreeSet<>();
            out.writeArrayStart();
            out.setItemCount(siblings.size());
            for (VersionedRow sibling : siblings) {
                out.startItem();
                writeSibling(sibling, types, out, mentioned);
            }
            out.writeArrayEnd();
            VersionedRow current = state.current();
            if (current == null || siblings.size() == 1 && siblings.get(0).equals(current)) {
                out.writeIndex(0);
            } else {
                out.writeIndex(1);
                writeSibling(current, types, out, mentioned);
            }
            TreeMap<String, String> known = new TreeMap<>();
            for (String column : mentioned) {
                String type = types.get(column);
                if (type != null) {
                    known.put(column, type);
                }
            }
            out.writeMapStart();
            out.setItemCount(known.size());
            for (Map.Entry<String, String> entry : known.entrySet()) {
                out.startItem();
                out.writeString(entry.getKey());
                out.writeString(entry.getValue());
            }
            out.writeMapEnd();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a row state", e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** A {@code Sibling} record, as {@link SiblingCodec#toAvro} builds it; adds the columns it mentions. */
    private void writeSibling(VersionedRow row, Map<String, String> types, BinaryEncoder out, TreeSet<String> mentioned)
            throws IOException {
        // Converted before anything is written, so that a bad value fails as the record-building path does.
        List<ColumnState> states = row.columns().isEmpty() ? null : ColumnStatesCodec.toAvro(row.columns(), types);
        out.writeEnum(OPERATION.getEnumOrdinal(row.operation().name()));
        writeImage(row.row(), types, out, mentioned);
        writeVersion(row.version(), out);
        if (states == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeArrayStart();
            out.setItemCount(states.size());
            for (ColumnState columnState : states) {
                out.startItem();
                columnStates.write(columnState, out);
                mentioned.add(columnState.getColumn());
            }
            out.writeArrayEnd();
        }
        writeImage(row.before(), types, out, mentioned);
        if (row.changedColumns() == null) {
            out.writeIndex(0);
        } else {
            List<String> changed = List.copyOf(row.changedColumns()); // the order SiblingCodec stores
            out.writeIndex(1);
            out.writeArrayStart();
            out.setItemCount(changed.size());
            for (String column : changed) {
                out.startItem();
                out.writeString(column);
            }
            out.writeArrayEnd();
        }
    }

    /** A nullable column list, as {@link RowImages#toColumns} builds it. */
    private void writeImage(RowImage image, Map<String, String> types, BinaryEncoder out, TreeSet<String> mentioned)
            throws IOException {
        if (image == null) {
            out.writeIndex(0);
            return;
        }
        // Every value is converted (and checked) first: a failure leaves nothing half written that matters.
        List<String> names = List.copyOf(image.columns());
        Datum[] values = new Datum[names.size()];
        String[] columnTypes = new String[names.size()];
        for (int i = 0; i < values.length; i++) {
            String name = names.get(i);
            columnTypes[i] = RowImages.typeOf(types, name);
            try {
                values[i] = JavaValues.toDatum(image.get(name), columnTypes[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
            }
        }
        out.writeIndex(1);
        out.writeArrayStart();
        out.setItemCount(values.length);
        for (int i = 0; i < values.length; i++) {
            out.startItem();
            out.writeString(names.get(i));
            out.writeString(columnTypes[i]);
            writeDatum(values[i], out);
            mentioned.add(names.get(i));
        }
        out.writeArrayEnd();
    }

    private void writeDatum(Datum datum, BinaryEncoder out) throws IOException {
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
            datums.write(datum, out); // a record branch, or bytes: Avro's own writer, for this one value
        }
    }

    /** A {@code RowVersion} record, as {@link RowVersionCodec#toAvro} builds it: the vector in DC-id order. */
    private static void writeVersion(RowVersion version, BinaryEncoder out) throws IOException {
        Map<String, Long> vector = version.vector().toMap(); // sorted by DC id
        out.writeMapStart();
        out.setItemCount(vector.size());
        for (Map.Entry<String, Long> entry : vector.entrySet()) {
            out.startItem();
            out.writeString(entry.getKey());
            out.writeLong(entry.getValue());
        }
        out.writeMapEnd();
        out.writeLong(version.hlc());
        out.writeString(version.dc().value());
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

    private static byte[] header() {
        ByteBuffer header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0xC3).put((byte) 0x01).putLong(EventCodec.fingerprint(RowStateRecord.getClassSchema()));
        return header.array();
    }
}
