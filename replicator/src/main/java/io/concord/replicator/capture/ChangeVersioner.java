package io.concord.replicator.capture;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Operation;
import io.concord.replicator.capture.pgoutput.Relation;
import io.concord.replicator.capture.pgoutput.RowChange;
import io.concord.replicator.capture.pgoutput.Update;
import io.concord.replicator.store.ColumnStatesCodec;
import io.concord.replicator.store.RowImages;
import io.concord.replicator.store.RowKey;
import io.concord.replicator.store.RowVersionCodec;
import io.concord.replicator.store.StoredRowState;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.LocalChange;
import io.concord.resolver.state.RowState;
import io.concord.version.DcId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gives each local row change its new version, in WAL order, and turns it into events.
 *
 * <p>Replays are exact. An event is identified by its transaction's commit LSN and its position
 * in the transaction; a stored state at that very position was computed by an earlier run whose
 * event may already be on Kafka, so its version is reused, not bumped again. A stored state past
 * it means the row changed again later in the same transaction and that was already published:
 * the intermediate change is not published a second time (no reader could see it apart from its
 * transaction anyway). Anything older is versioned from the stored state with the clock restored
 * from the saved progress, and so gets the same version as the first time.
 *
 * <p>An UPDATE that changes the key becomes two events: a DELETE of the old key and an INSERT of
 * the new one, each versioned on its own key.
 */
final class ChangeVersioner {

    /** An event with the row state to persist once it is on Kafka; state is null when reused. */
    record Versioned(ChangeEvent event, StoredRowState state) {
    }

    private final DcId dc;
    private final ChangeEventAssembler assembler;
    private final CaptureClock clock;

    ChangeVersioner(DcId dc, CaptureClock clock) {
        this.dc = dc;
        this.clock = clock;
        this.assembler = new ChangeEventAssembler(dc.value());
    }

    /** A change split into the row changes it makes, each with its images and key. */
    record Split(RowChange change, List<ChangeImages> parts, List<RowKey> keys) {
    }

    /** Decodes a change once: its images and the keys it touches (two for a key change). */
    static Split split(CapturedTable table, RowChange change) {
        ChangeImages images = ChangeEventAssembler.images(change, table.keyColumns());
        if (change instanceof Update update) {
            List<Column> oldKey = ChangeEventAssembler.oldKey(update, table.keyColumns());
            if (oldKey != null && !oldKey.equals(images.key())) {
                ChangeImages delete = new ChangeImages(Operation.DELETE, oldKey, null, images.before(), List.of(), null);
                ChangeImages insert = new ChangeImages(Operation.INSERT, images.key(), images.after(), null,
                        images.unchangedToast(), null);
                return new Split(change, List.of(delete, insert), List.of(
                        RowKey.of(table.qualifiedName(), oldKey), RowKey.of(table.qualifiedName(), images.key())));
            }
        }
        return new Split(change, List.of(images), List.of(RowKey.of(table.qualifiedName(), images.key())));
    }

    /**
     * Versions a change. {@code states} gives each row's state as it stands (stored, or made by an
     * earlier change of this batch), or null for a row never seen.
     */
    List<Versioned> version(CaptureTransaction tx, CapturedTable table, Split split,
            Function<RowKey, StoredRowState> states) {
        List<Versioned> out = new ArrayList<>(split.parts().size());
        for (int i = 0; i < split.parts().size(); i++) {
            one(tx, table, split.change().relation(), split.parts().get(i), split.keys().get(i), states, out);
        }
        return out;
    }

    private void one(CaptureTransaction tx, CapturedTable table, Relation relation, ChangeImages images, RowKey key,
            Function<RowKey, StoredRowState> states, List<Versioned> out) {
        int seq = tx.nextSeq();
        long commitLsn = tx.begin().finalLsn().value();
        StoredRowState stored = states.apply(key);
        if (stored != null && stored.lsn().value() == commitLsn && stored.seq() >= seq) {
            if (stored.seq() == seq) {
                VersionedRow current = stored.state().current();
                clock.observe(current.version().hlc());
                out.add(new Versioned(event(tx, seq, relation, images, current, stored.columnTypes()), null));
            }
            return;
        }
        RowState previous = stored == null ? RowState.empty() : stored.state();
        VersionedRow written = table.reconciler().write(previous, localChange(images, tx.begin().commitTimeMicros()));
        Map<String, String> types = typesOf(images);
        StoredRowState next = stored == null
                ? new StoredRowState(key, RowState.of(written), tx.begin().finalLsn(), seq, types)
                : stored.next(RowState.of(written), tx.begin().finalLsn(), seq, types);
        out.add(new Versioned(event(tx, seq, relation, images, written, next.columnTypes()), next));
    }

    private LocalChange localChange(ChangeImages images, long commitMicros) {
        long stamp = clock.tick(commitMicros);
        RowImage after = images.after() == null ? null : RowImages.fromColumns(images.after());
        return switch (images.operation()) {
            case INSERT -> LocalChange.insert(dc, stamp, after);
            case UPDATE -> new LocalChange(dc, stamp, io.concord.resolver.Operation.UPDATE, after,
                    images.changed() == null || images.before() == null ? null : RowImages.fromColumns(images.before()),
                    images.changed() == null ? null : new HashSet<>(images.changed()));
            case DELETE -> LocalChange.delete(dc, stamp);
        };
    }

    private ChangeEvent event(CaptureTransaction tx, int seq, Relation relation, ChangeImages images,
            VersionedRow written, Map<String, String> types) {
        return assembler.assemble(dc.value(), tx.begin(), seq, false, relation, images,
                RowVersionCodec.toAvro(written.version()),
                written.columns().isEmpty() ? null : ColumnStatesCodec.toAvro(written.columns(), types));
    }

    private static Map<String, String> typesOf(ChangeImages images) {
        Map<String, String> types = new HashMap<>();
        for (List<Column> image : new ArrayList<>(java.util.Arrays.asList(images.before(), images.after()))) {
            if (image != null) {
                image.forEach(column -> types.put(column.getName(), column.getType()));
            }
        }
        return types;
    }
}
