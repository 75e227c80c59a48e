package io.concord.replicator.store;

import io.concord.event.ColumnState;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.RowStateRecord;
import io.concord.event.codec.ByteArrayEncoder;
import io.concord.event.codec.DirectEncoding;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;

/**
 * Writes a row state's stored bytes straight from the resolvers' {@link RowState}: byte for byte what
 * {@code EventCodec} writes for {@link RowStateCodec#toRecord} (a {@link RowStateRecord} in single-object
 * encoding), without building the Avro records first ({@link DirectEncoding} writes the values).
 *
 * <p>Why: capture stores a state for every row it versions and apply one for every row it settles, and Avro's
 * generic writer was the largest part of both. {@code RowStateWriterTest} holds the two to the same bytes.
 * Thread-safe.
 */
final class RowStateWriter {

    private static final byte[] HEADER = DirectEncoding.header(RowStateRecord.getClassSchema());
    private static final Schema OPERATION = Operation.getClassSchema();

    /**
     * The stored bytes of {@code state}; {@code types} names the type of every column of every image.
     *
     * @throws IllegalArgumentException as {@link RowStateCodec#encode}: a column with no type, a value that does
     *     not fit its type
     */
    byte[] encode(RowState state, Map<String, String> types) {
        ByteArrayEncoder out = new ByteArrayEncoder(HEADER, 256);
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
            throw new UncheckedIOException("cannot encode a row state", e); // an array does not fail
        }
        return out.toByteArray();
    }

    /** A {@code Sibling} record, as {@link SiblingCodec#toAvro} builds it; adds the columns it mentions. */
    private void writeSibling(VersionedRow row, Map<String, String> types, BinaryEncoder out, TreeSet<String> mentioned)
            throws IOException {
        // Converted before anything is written, so that a bad value fails as the record-building path does.
        List<ColumnState> states = row.columns().isEmpty() ? null : ColumnStatesCodec.toAvro(row.columns(), types);
        out.writeEnum(OPERATION.getEnumOrdinal(row.operation().name()));
        writeImage(row.row(), types, out, mentioned);
        DirectEncoding.writeVersion(row.version().vector().toMap(), row.version().hlc(), row.version().dc().value(),
                out); // the vector sorted by DC id, as RowVersionCodec stores it
        DirectEncoding.writeNullableColumnStates(states, out);
        if (states != null) {
            states.forEach(columnState -> mentioned.add(columnState.getColumn()));
        }
        writeImage(row.before(), types, out, mentioned);
        // In the order SiblingCodec stores them.
        DirectEncoding.writeNullableStrings(row.changedColumns() == null ? null : List.copyOf(row.changedColumns()), out);
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
            DirectEncoding.writeColumn(names.get(i), columnTypes[i], values[i], out);
            mentioned.add(names.get(i));
        }
        out.writeArrayEnd();
    }

}
