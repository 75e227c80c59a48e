package io.concord.resolver.state;

import io.concord.resolver.VersionedRow;
import io.concord.version.RowVersion;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything a replica keeps about one row: the row as it stands ({@code current}) and the
 * concurrent versions it was settled from ({@code siblings}).
 *
 * <p>Normally there is one sibling and it is the current row. After a conflict the siblings are
 * the versions no later write has superseded — pairwise concurrent, at most one per DC — kept,
 * sorted by {@code (hlc, dc)}, until a write that has seen them all replaces them. Keeping them is
 * what makes every replica converge: the set of siblings is the same whatever order the writes
 * arrived in, and {@code current} is computed from that set alone. Without them a replica that
 * settled a with b before c arrived could not reproduce the row of one that settled b with c first,
 * for any resolver that is not last-write-wins.
 *
 * <p>{@code current.version()} is the merge of all siblings' versions. A deleted row is a tombstone
 * that keeps its version; the replicator may forget it once every DC has seen it. Persist both
 * parts; {@code current} is also what the user table shows.
 *
 * @param siblings the unsuperseded versions, oldest first; empty for a row never written
 * @param current  the row as it stands, or {@code null} for a row never written
 */
public record RowState(List<VersionedRow> siblings, VersionedRow current) {

    private static final RowState EMPTY = new RowState(List.of(), null);

    /** Sorts the siblings and checks that a current row is present exactly when there are siblings. */
    public RowState {
        siblings = siblings.stream().sorted(Comparator.comparing(VersionedRow::timestamp)).toList();
        if (siblings.isEmpty() != (current == null)) {
            throw new IllegalArgumentException("a row state has a current row exactly when it has siblings");
        }
    }

    /** The state of a row never written (or whose tombstone was forgotten). */
    public static RowState empty() {
        return EMPTY;
    }

    /** The state after one write that superseded everything before it. */
    public static RowState of(VersionedRow only) {
        return new RowState(List.of(Objects.requireNonNull(only, "only")), only);
    }

    /** Whether nothing is known about the row. */
    public boolean isEmpty() {
        return current == null;
    }

    /** Whether the row exists (known and not deleted). */
    public boolean exists() {
        return current != null && !current.isTombstone();
    }

    /** The row's version; {@code null} if nothing is known. */
    public RowVersion version() {
        return current == null ? null : current.version();
    }
}
