package io.concord.resolver.state;

import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.version.DcId;
import java.util.Objects;
import java.util.Set;

/**
 * A change an application committed to the local database, as capture decoded it.
 *
 * @param dc             this DC
 * @param commitMicros   the commit's timestamp from this DC's {@link io.concord.version.HybridLogicalClock}
 *                       ({@code clock.tick(commit time)}), microseconds since the epoch
 * @param operation      what the change did
 * @param after          the row after the change; {@code null} for a delete. An absent column means
 *                       "unchanged and not sent" (TOAST) and keeps its previous value
 * @param before         the row before the change where known (REPLICA IDENTITY FULL); else {@code null}
 * @param changedColumns the columns changed where known; else {@code null} and they are found by
 *                       comparing with the previous row
 */
public record LocalChange(DcId dc, long commitMicros, Operation operation, RowImage after, RowImage before,
                          Set<String> changedColumns) {

    /** Checks that a row is present exactly when the operation is not a delete. */
    public LocalChange {
        Objects.requireNonNull(dc, "dc");
        Objects.requireNonNull(operation, "operation");
        if ((operation == Operation.DELETE) != (after == null)) {
            throw new IllegalArgumentException("an after-image is required exactly for INSERT and UPDATE, not for " + operation);
        }
        changedColumns = changedColumns == null ? null : Set.copyOf(changedColumns);
    }

    /** An insert of {@code row}. */
    public static LocalChange insert(DcId dc, long commitMicros, RowImage row) {
        return new LocalChange(dc, commitMicros, Operation.INSERT, row, null, null);
    }

    /** An update to {@code after}, with the before-image if known. */
    public static LocalChange update(DcId dc, long commitMicros, RowImage before, RowImage after) {
        return new LocalChange(dc, commitMicros, Operation.UPDATE, after, before, null);
    }

    /** A delete. */
    public static LocalChange delete(DcId dc, long commitMicros) {
        return new LocalChange(dc, commitMicros, Operation.DELETE, null, null, null);
    }
}
