package io.concord.replicator.capture;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Slot positions capture may confirm once the states committed before them are on disk.
 *
 * <p>Capture commits its batches' states with {@code synchronous_commit = off} ({@link CaptureLoop}): the commit
 * is visible at once, but reaches disk only when the WAL is flushed up to its commit record, by the WAL writer
 * (within {@code wal_writer_delay}) or by any synchronous commit after it. A crash of PostgreSQL before that loses
 * the commit, as if capture had stopped just before it — a case capture handles already, by reading the WAL again
 * from the slot and versioning it into the same events. That holds only while the slot is not confirmed past the
 * lost batch, so each batch's confirmation waits here until a flushed position covers its commit.
 *
 * <p>The commit record's position is not returned by a commit. Any WAL insert position read on capture's session
 * after the commit lies after it, and serves as the bound: a batch's confirmation is released once a flushed
 * position read no earlier than that bound's reading has reached it. {@link #observed} takes both positions,
 * read in one statement; capture reads them with the next batch's progress and, when idle, on their own.
 * Positions are released in order: a batch with nothing to commit waits behind the batches before it, and a
 * capture that starts waits for everything committed before it started (its predecessor's last commits may be
 * unflushed too).
 *
 * <p>Not thread-safe: the capture loop's thread only.
 */
final class DurableConfirms {

    /** A slot position to confirm, and the WAL position that must be flushed first (null: not read yet). */
    private static final class Pending {
        final Lsn confirm;
        Lsn flushedBy;
        /** True where the entry committed nothing: it needs only the entries before it. */
        final boolean followsPrevious;

        Pending(Lsn confirm, Lsn flushedBy, boolean followsPrevious) {
            this.confirm = confirm;
            this.flushedBy = flushedBy;
            this.followsPrevious = followsPrevious;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();

    /** Starts behind every commit made before this call (a previous capture's), with nothing to confirm itself. */
    static DurableConfirms afterEarlierCommits() {
        DurableConfirms confirms = new DurableConfirms();
        confirms.pending.add(new Pending(null, null, false));
        return confirms;
    }

    /** A batch committed its states asynchronously; {@code confirm} may be confirmed once they are flushed. */
    void committed(Lsn confirm) {
        pending.add(new Pending(confirm, null, false));
    }

    /**
     * A batch committed nothing; {@code confirm} may be confirmed once every batch before it may.
     *
     * @return {@code confirm} if nothing is waiting (confirm it now), else null
     */
    Lsn nothingCommitted(Lsn confirm) {
        if (pending.isEmpty()) {
            return confirm;
        }
        pending.add(new Pending(confirm, null, true));
        return null;
    }

    /**
     * Positions read in one statement on capture's session, after every commit handed in so far: the WAL insert
     * position bounds those commits' records, the flushed one releases what it covers.
     *
     * @return the furthest slot position now safe to confirm, or null if none
     */
    Lsn observed(Lsn insert, Lsn flushed) {
        for (Pending entry : pending) {
            if (entry.flushedBy == null && !entry.followsPrevious) {
                entry.flushedBy = insert;
            }
        }
        Lsn release = null;
        while (!pending.isEmpty()) {
            Pending head = pending.peek();
            if (!head.followsPrevious && (head.flushedBy == null || flushed.isBefore(head.flushedBy))) {
                break;
            }
            pending.poll();
            if (head.confirm != null) {
                release = head.confirm;
            }
        }
        return release;
    }

    /** Whether a confirmation waits for a flush: while one does, no later position may be confirmed. */
    boolean waiting() {
        return !pending.isEmpty();
    }
}
