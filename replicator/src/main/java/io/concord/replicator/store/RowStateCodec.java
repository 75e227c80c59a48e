package io.concord.replicator.store;

import io.concord.event.Column;
import io.concord.event.RowStateRecord;
import io.concord.event.Sibling;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.event.codec.RecordReader;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * A row's {@link RowState} and column types to and from the bytes stored in
 * {@code concord.row_versions.state}: a {@link RowStateRecord} in Avro single-object encoding, through
 * {@link EventCodec}, so that a state written by an older Concord version still reads.
 *
 * <p>The usual state is one sibling that is also the current row; it is stored once (see
 * {@code RowStateRecord.current}). Exact round trip: {@code decode(encode(s, t))} gives {@code s} again,
 * and the types of the columns it mentions. Thread-safe.
 */
public final class RowStateCodec {

    private final EventCodec codec = new EventCodec();
    private final RowStateWriter writer = new RowStateWriter();
    /** Field-by-field reading with pooled names; a reader is not thread-safe, so one per thread. */
    private final ThreadLocal<RecordReader> readers = ThreadLocal.withInitial(() -> new RecordReader(codec));

    /** A state read back, with the type of every column it mentions. */
    public record Decoded(RowState state, Map<String, String> columnTypes) {
    }

    /**
     * The stored bytes of a state.
     *
     * @throws IllegalArgumentException if a column of an image has no type in {@code types}, or a value
     *     does not fit its type
     */
    public byte[] encode(RowState state, Map<String, String> types) {
        return writer.encode(state, types); // the bytes codec.encode(toRecord(state, types)) gives, written directly
    }

    /**
     * The state stored in {@code bytes}.
     *
     * @throws EventDecodingException if the bytes are no RowStateRecord this version can read
     * @throws IllegalArgumentException if the record decodes but holds no valid state
     */
    public Decoded decode(byte[] bytes) throws EventDecodingException {
        SpecificRecord record = readers.get().decode(bytes);
        if (!(record instanceof RowStateRecord state)) {
            throw new EventDecodingException(EventDecodingException.Kind.CORRUPT,
                    "expected a RowStateRecord, got a " + record.getSchema().getName());
        }
        return new Decoded(toState(state), Map.copyOf(state.getColumnTypes()));
    }

    /** The Avro record of a state; {@code types} must name the type of every column of every image. */
    public static RowStateRecord toRecord(RowState state, Map<String, String> types) {
        List<Sibling> siblings = new ArrayList<>(state.siblings().size());
        state.siblings().forEach(sibling -> siblings.add(SiblingCodec.toAvro(sibling, types)));
        boolean currentIsOnlySibling = state.siblings().size() == 1 && state.siblings().get(0).equals(state.current());
        Sibling current = state.current() == null || currentIsOnlySibling ? null
                : SiblingCodec.toAvro(state.current(), types);
        return new RowStateRecord(siblings, current, typesMentioned(siblings, current, types));
    }

    /**
     * The state an Avro record holds.
     *
     * @throws IllegalArgumentException if it holds no valid state (several siblings but no current row,
     *     or a malformed sibling)
     */
    public static RowState toState(RowStateRecord record) {
        Map<String, String> types = record.getColumnTypes();
        List<VersionedRow> siblings = new ArrayList<>(record.getSiblings().size());
        record.getSiblings().forEach(sibling -> siblings.add(SiblingCodec.fromAvro(sibling, types)));
        VersionedRow current;
        if (record.getCurrent() != null) {
            current = SiblingCodec.fromAvro(record.getCurrent(), types);
        } else if (siblings.size() <= 1) {
            current = siblings.isEmpty() ? null : siblings.get(0);
        } else {
            throw new IllegalArgumentException("a stored row state with " + siblings.size()
                    + " siblings must store its current row");
        }
        return new RowState(siblings, current);
    }

    /** The known types of the columns the record mentions: nothing stale, nothing missing that was known. */
    private static Map<String, String> typesMentioned(List<Sibling> siblings, Sibling current,
                                                      Map<String, String> types) {
        TreeSet<String> columns = new TreeSet<>();
        List<Sibling> all = new ArrayList<>(siblings);
        if (current != null) {
            all.add(current);
        }
        for (Sibling sibling : all) {
            addNames(sibling.getAfter(), columns);
            addNames(sibling.getBefore(), columns);
            if (sibling.getColumnStates() != null) {
                sibling.getColumnStates().forEach(state -> columns.add(state.getColumn()));
            }
        }
        TreeMap<String, String> mentioned = new TreeMap<>();
        for (String column : columns) {
            String type = types.get(column);
            if (type != null) {
                mentioned.put(column, type);
            }
        }
        return mentioned;
    }

    private static void addNames(List<Column> image, TreeSet<String> columns) {
        if (image != null) {
            image.forEach(column -> columns.add(column.getName()));
        }
    }
}
