package io.concord.resolver;

import io.concord.version.HybridTimestamp;
import io.concord.version.RowVersion;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One version of a row: what a write left behind (the content of a change event), or what a
 * resolver made of several versions.
 *
 * @param operation      what the write did; {@code DELETE} for a tombstone
 * @param row            the row after the write; {@code null} exactly when this is a tombstone
 * @param version        the row's version
 * @param columns        per-column state, for tables merged column by column; empty otherwise
 * @param before         the row before the write, where known (REPLICA IDENTITY FULL); else {@code null}
 * @param changedColumns the columns the write changed, where known; else {@code null}
 */
public record VersionedRow(Operation operation, RowImage row, RowVersion version, ColumnStates columns,
                           RowImage before, Set<String> changedColumns) {

    /** Checks that a row is present exactly when the operation is not a delete. */
    public VersionedRow {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(version, "version");
        columns = columns == null ? ColumnStates.empty() : columns;
        if ((operation == Operation.DELETE) != (row == null)) {
            throw new IllegalArgumentException(operation == Operation.DELETE
                    ? "a DELETE leaves a tombstone and has no row" : "an " + operation + " needs a row");
        }
        changedColumns = changedColumns == null ? null : Collections.unmodifiableSortedSet(new TreeSet<>(changedColumns));
    }

    /** A live row with no column state and nothing known about the write's before-image. */
    public static VersionedRow live(Operation operation, RowImage row, RowVersion version) {
        return new VersionedRow(operation, Objects.requireNonNull(row, "row"), version, ColumnStates.empty(), null, null);
    }

    /** A tombstone: the row was deleted by the write that made {@code version}. */
    public static VersionedRow tombstone(RowVersion version) {
        return new VersionedRow(Operation.DELETE, null, version, ColumnStates.empty(), null, null);
    }

    /** Whether the row is deleted. */
    public boolean isTombstone() {
        return row == null;
    }

    /** The last-write-wins timestamp {@code (hlc, dc)} of this version. */
    public HybridTimestamp timestamp() {
        return version.timestamp();
    }

    /** The same row and state under another version. */
    public VersionedRow withVersion(RowVersion newVersion) {
        return new VersionedRow(operation, row, newVersion, columns, before, changedColumns);
    }

    /** Whether both are tombstones, or both live with equal rows (versions and state aside). */
    public boolean sameContent(VersionedRow other) {
        return isTombstone() ? other.isTombstone() : row.equals(other.row);
    }
}
