package io.concord.event.codec;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.ColumnState;
import io.concord.event.Operation;
import io.concord.event.RowStateRecord;
import io.concord.event.RowVersion;
import io.concord.event.Sibling;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Concord's records as {@link EventCodec#decode} does, and reads the two that come once per row — change
 * events and stored row states, of the current schemas — field by field ({@link DirectDecoding}): the same records,
 * without Avro's resolving decoder (its per-field actions, a boxed long per number, a reflective constructor per
 * record), which was half of apply's stream thread. Names — tables, columns, column types, DC ids — come out of a
 * {@link NamePool}, one {@code String} per distinct name, so the maps apply looks them up in hash them once.
 *
 * <p>Anything else — a heartbeat, a record of a released older schema, a payload the direct read finds malformed or
 * fails on — goes to {@link EventCodec#decode}, so every record decodes exactly as before and bad input fails with
 * the codec's message. Not thread-safe: one per thread.
 */
public final class RecordReader {

    private static final long CHANGE_EVENT = EventCodec.fingerprint(ChangeEvent.getClassSchema());
    private static final long ROW_STATE = EventCodec.fingerprint(RowStateRecord.getClassSchema());

    private final EventCodec codec;
    private final DirectDecoding parts = new DirectDecoding();

    /** A reader that leaves what it does not read itself to {@code codec}. */
    public RecordReader(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * Decodes any Concord record, as {@link EventCodec#decode} does.
     *
     * @throws EventDecodingException as {@link EventCodec#decode} throws it
     */
    public SpecificRecord decode(byte[] payload) throws EventDecodingException {
        long fingerprint = EventCodec.fingerprintOf(payload);
        try {
            if (fingerprint == CHANGE_EVENT) {
                return changeEvent(payload);
            }
            if (fingerprint == ROW_STATE) {
                return rowState(payload);
            }
        } catch (RuntimeException e) {
            // Malformed (AvroInput says so), or anything else the direct read did not expect: the codec decides, and
            // says what is wrong in the words every decoding failure uses.
        }
        return codec.decode(payload);
    }

    /** A change event of the current schema, read directly. */
    ChangeEvent changeEvent(byte[] payload) {
        AvroInput in = new AvroInput(payload, EventCodec.HEADER_LENGTH);
        String eventId = in.readString();
        String origin = parts.name(in);
        String publishedBy = parts.name(in);
        TableRef table = new TableRef(parts.name(in), parts.name(in));
        Operation op = parts.operation(in);
        List<Column> key = parts.columns(in);
        List<Column> before = parts.nullableColumns(in, "before");
        List<Column> after = parts.nullableColumns(in, "after");
        List<String> unchangedToast = parts.names(in);
        List<String> changed = parts.nullableNames(in, "changedColumns");
        RowVersion version = parts.version(in);
        List<ColumnState> states = parts.nullableColumnStates(in, "columnStates");
        SourceTransaction source = new SourceTransaction(in.readLong(), in.readLong(), in.readLong(), in.readInt(),
                in.readBoolean());
        return new ChangeEvent(eventId, origin, publishedBy, table, op, key, before, after, unchangedToast, changed,
                version, states, source);
    }

    /** A stored row state of the current schema, read directly. */
    RowStateRecord rowState(byte[] payload) {
        AvroInput in = new AvroInput(payload, EventCodec.HEADER_LENGTH);
        List<Sibling> siblings = new ArrayList<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                siblings.add(sibling(in));
            }
        }
        Sibling current = DirectDecoding.present(in, "current") ? sibling(in) : null;
        Map<String, String> columnTypes = parts.nameMap(in);
        return new RowStateRecord(siblings, current, columnTypes);
    }

    private Sibling sibling(AvroInput in) {
        Operation op = parts.operation(in);
        List<Column> after = parts.nullableColumns(in, "after");
        RowVersion version = parts.version(in);
        List<ColumnState> states = parts.nullableColumnStates(in, "columnStates");
        List<Column> before = parts.nullableColumns(in, "before");
        List<String> changed = parts.nullableNames(in, "changedColumns");
        return new Sibling(op, after, version, states, before, changed);
    }
}
