package io.concord.replicator.capture;

import io.concord.replicator.store.RowKey;
import java.util.Set;

/**
 * Apply stored a state of rows after capture read them for the batch in hand: the batch's states were
 * computed without apply's and are not stored. Capture aborts the batch and starts over from the slot,
 * where it reads the rows again; rare, and not a failure.
 */
final class RowStateMovedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param resumeAfter the last transaction whose states are saved: capture reads again after it */
    RowStateMovedException(Set<RowKey> rows, Lsn resumeAfter) {
        super("apply stored a state of " + describe(rows) + " (or of one of them) since this batch read them;"
                + " what came after " + resumeAfter + " is versioned again");
    }

    private static String describe(Set<RowKey> rows) {
        return rows.size() <= 3 ? rows.toString()
                : rows.stream().limit(3).toList() + " and " + (rows.size() - 3) + " more rows";
    }
}
