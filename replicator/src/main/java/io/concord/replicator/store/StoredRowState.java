package io.concord.replicator.store;

import io.concord.replicator.capture.Lsn;
import io.concord.resolver.state.RowState;
import java.util.Map;
import java.util.Objects;
import java.util.HashMap;

/**
 * A row's state as {@code concord.row_versions} holds it: the state, the WAL position it reflects, and
 * the PostgreSQL type of each of its columns (a {@code RowImage} holds bare Java values, and storing
 * them as typed Datums needs the types).
 *
 * <p>The position {@code (lsn, seq)} orders the states of one row: a save only ever replaces a stored
 * state by one at a later position (see {@link RowStateStore#save}).
 *
 * @param key         the row
 * @param state       its state; never empty (a row never written has nothing to store)
 * @param lsn         the commit LSN of the transaction whose change the state reflects
 * @param seq         the change's index within that transaction, from 0
 * @param columnTypes column name → {@code pg_type.typname} of every column the state's images hold;
 *                    loaded states carry the types they were saved with
 */
public record StoredRowState(RowKey key, RowState state, Lsn lsn, int seq, Map<String, String> columnTypes) {

    /** Checks the parts and copies the types. */
    public StoredRowState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lsn, "lsn");
        Objects.requireNonNull(columnTypes, "columnTypes");
        if (state.isEmpty()) {
            throw new IllegalArgumentException("the empty state of " + key + " has nothing to store");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq of " + key + " must not be negative, got " + seq);
        }
        // No copy of a map that is immutable already (a table's types, shared by its rows): Map.copyOf returns it.
        columnTypes = Map.copyOf(columnTypes);
    }

    /**
     * The state of this row after a later change: {@code changeTypes} (the types of the columns the
     * change sent) win over the stored ones, which still cover the columns it did not send (unchanged
     * TOAST values the new state keeps).
     */
    public StoredRowState next(RowState next, Lsn nextLsn, int nextSeq, Map<String, String> changeTypes) {
        if (columnTypes.equals(changeTypes)) {
            return new StoredRowState(key, next, nextLsn, nextSeq, columnTypes); // the usual change: no copy
        }
        Map<String, String> types = new HashMap<>(columnTypes);
        types.putAll(changeTypes);
        return new StoredRowState(key, next, nextLsn, nextSeq, types);
    }

    /** Whether this state is at a later WAL position than {@code other}: larger {@code (lsn, seq)}. */
    public boolean isAfter(StoredRowState other) {
        int byLsn = lsn.compareTo(other.lsn);
        return byLsn != 0 ? byLsn > 0 : seq > other.seq;
    }
}
