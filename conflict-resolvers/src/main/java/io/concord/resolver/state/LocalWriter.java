package io.concord.resolver.state;

import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnStates;
import io.concord.resolver.ColumnTracking;
import io.concord.resolver.ColumnValues;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.version.ColumnStamp;
import io.concord.version.RowVersion;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a captured local change into the new version of its row: the version (vector + 1 for this
 * DC, {@code hlc = max(commit, previous hlc + 1)}) and, for tables merged column by column, the
 * per-column state.
 */
final class LocalWriter {

    private final ColumnTracking tracking;

    LocalWriter(ColumnTracking tracking) {
        this.tracking = tracking;
    }

    VersionedRow write(RowState previous, LocalChange change) {
        VersionedRow prior = previous.current();
        RowVersion version = prior == null
                ? RowVersion.first(change.dc(), change.commitMicros())
                : prior.version().next(change.dc(), change.commitMicros());
        ColumnStates priorColumns = prior == null ? ColumnStates.empty() : prior.columns();
        if (change.operation() == Operation.DELETE) {
            // The tombstone keeps the column state so that counters re-inserted later keep their history.
            return new VersionedRow(Operation.DELETE, null, version, priorColumns, change.before(), null);
        }
        RowImage priorRow = prior == null || prior.isTombstone() ? null : prior.row();
        RowImage row = fillAbsent(change.after(), priorRow);
        ColumnStates columns = tracking.enabled()
                ? columns(change, version, priorColumns, priorRow, row)
                : ColumnStates.empty();
        return new VersionedRow(change.operation(), row, version, columns, change.before(), change.changedColumns());
    }

    /** Columns the change did not send (unchanged TOAST values) keep their previous values. */
    private static RowImage fillAbsent(RowImage after, RowImage priorRow) {
        if (priorRow == null) {
            return after;
        }
        RowImage filled = after;
        for (String column : priorRow.columns()) {
            if (!after.contains(column)) {
                filled = filled.with(column, priorRow.get(column));
            }
        }
        return filled;
    }

    private ColumnStates columns(LocalChange change, RowVersion version, ColumnStates priorColumns,
                                 RowImage priorRow, RowImage row) {
        ColumnStamp stamp = ColumnStamp.of(version);
        // After an insert (or a write on a deleted row) every column is new: nothing before it counts.
        boolean fresh = change.operation() == Operation.INSERT || priorRow == null;
        RowImage before = change.before() != null ? change.before() : priorRow;
        Map<String, ColumnState> states = new TreeMap<>();
        for (String column : row.columns()) {
            ColumnState prior = priorColumns.get(column);
            Object value = row.get(column);
            boolean changed = fresh || prior == null || changed(change, column, before, value);
            if (tracking.isCounter(column)) {
                states.put(column, counter(change, stamp, prior, fresh, before, column, value, changed));
            } else {
                states.put(column, changed ? ColumnState.Register.of(stamp, value) : prior);
            }
        }
        return ColumnStates.of(states);
    }

    private static ColumnState counter(LocalChange change, ColumnStamp stamp, ColumnState prior, boolean fresh,
                                       RowImage before, String column, Object value, boolean changed) {
        if (!(prior instanceof ColumnState.Counter counter)) {
            return ColumnState.Counter.start(stamp, value);
        }
        if (fresh || before == null || !before.contains(column)) {
            return counter.reset(stamp, value);
        }
        return changed ? counter.update(change.dc(), stamp, before.get(column), value) : counter;
    }

    private static boolean changed(LocalChange change, String column, RowImage before, Object value) {
        if (change.changedColumns() != null) {
            return change.changedColumns().contains(column);
        }
        return before == null || !before.contains(column) || !ColumnValues.same(before.get(column), value);
    }
}
