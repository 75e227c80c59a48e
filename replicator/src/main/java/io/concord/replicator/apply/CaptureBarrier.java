package io.concord.replicator.apply;

import io.concord.replicator.capture.FencesPassed;
import io.concord.replicator.capture.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waits, inside the apply transaction, until capture has recorded every local commit that precedes the
 * moment the target rows were locked: only then do the stored row versions cover every local write of
 * those rows, and only then may a remote write be compared with them.
 *
 * <h2>Which position, and which progress</h2>
 * The target is a WAL position read <em>after</em> the rows are locked: any transaction that wrote one of
 * them committed before the lock was granted, so its commit record lies before the target.
 * <ul>
 *   <li>On PostgreSQL 17 and later the target is the end of a non-transactional, flushed logical message
 *       ({@code pg_logical_emit_message(false, 'concord.apply.fence', <name>, true)}). It lies after every
 *       commit record inserted so far, asynchronous commits ({@code synchronous_commit = off}, visible
 *       before they are flushed) included, and flushing it makes the WAL up to it readable by the
 *       walsender even though this transaction's own lock records precede it. Capture passes the message's
 *       name on to {@link FencesPassed} once it has handled it. It is written on a connection
 *       of its own, with no replication origin, as the slot skips whatever carries one.</li>
 *   <li>On PostgreSQL 16 it is {@code pg_current_wal_lsn()}, the WAL write position: every synchronously
 *       committed transaction has flushed its commit record before it became visible, so lies before it.
 *       An asynchronous commit may not yet; with {@code synchronous_commit = off} for application writes
 *       on PostgreSQL 16, a write in the last few hundred milliseconds could be missed.</li>
 * </ul>
 * Capture is past the target when either holds:
 * <ul>
 *   <li>{@code concord.capture_progress.lsn >= target}: that is the commit LSN of the last transaction whose
 *       states capture persisted; it handles transactions in commit order, so every commit before it is in
 *       the states too. It only moves when a later transaction commits, so on an idle database it never
 *       reaches the target;</li>
 *   <li>the slot's {@code confirmed_flush_lsn >= target}: capture confirms a transaction's end only after
 *       persisting its states, and on an idle server confirms the walsender's sent position only once it
 *       has handled everything received before it, so the confirmed position too is never ahead of the
 *       states. This is what moves on an idle database (our own fence message included).</li>
 * </ul>
 * Polling runs on the apply connection in READ COMMITTED: each poll, and the state load that follows, sees
 * capture's latest commit.
 *
 * <p>Where capture runs in this process, it also says when it has handled the fence ({@link FencesPassed}; the
 * message's content names it): that comes several milliseconds before the slot shows it, spares the polls, and
 * is what the wait mostly ends on. Polling goes on beside it, less often, for a capture that runs elsewhere or
 * restarted. A fence not passed within 100 ms is written again (then after 200 ms, 400 ms, ... a second at most):
 * a walsender that slept through the first flush wakes for the next one.
 */
final class CaptureBarrier implements AutoCloseable {

    /** Names this process's fences apart from other processes' (their capture says nothing to us). */
    private static final String PROCESS = UUID.randomUUID().toString();
    private static final AtomicLong FENCES = new AtomicLong();
    /** Between polls of PostgreSQL while a capture in this process will say when it passed the fence. */
    private static final long POLL_MILLIS_WITH_SIGNAL = 20;
    /**
     * How long a fence may go unpassed before another is written ({@link #await}), doubling up to a second. Capture
     * passes nearly every fence within 40 ms (the bench's slowest batches on a saturated machine).
     */
    private static final long NUDGE_FIRST_NANOS = 100_000_000L;
    private static final long NUDGE_MAX_NANOS = 1_000_000_000L;

    /** A position capture must pass, and the word from capture that it did (null where none will come). */
    record Fence(Lsn lsn, FencesPassed.Expected passed) {
    }

    private final String slot;
    private final FencesPassed signals;
    private final Duration timeout;
    private final BatchApplier.ConnectionSource connections;
    private Boolean flushableMessages;
    private Connection fenceConnection;

    CaptureBarrier(String slot, Duration timeout, BatchApplier.ConnectionSource connections) {
        this.slot = slot;
        this.signals = FencesPassed.of(slot);
        this.timeout = timeout;
        this.connections = connections;
    }

    /**
     * Reads the target position; call after the rows are locked. The fence is written by a connection of its
     * own, with no replication origin: capture's slot skips whatever carries apply's origins (pgoutput
     * {@code origin = none}), and would skip a fence written under one too.
     */
    Fence target(Connection applyConnection) throws SQLException {
        if (flushableMessages == null) {
            flushableMessages = applyConnection.getMetaData().getDatabaseMajorVersion() >= 17;
        }
        FencesPassed.Expected passed = flushableMessages ? signals.expect(PROCESS + "/" + FENCES.incrementAndGet())
                : null;
        try {
            if (fenceConnection == null) {
                fenceConnection = connections.open();
                fenceConnection.setAutoCommit(true);
            }
            if (passed == null) {
                try (Statement statement = fenceConnection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                    row.next();
                    return new Fence(Lsn.parse(row.getString(1)), null);
                }
            }
            try (PreparedStatement statement = fenceConnection.prepareStatement(
                    "SELECT pg_logical_emit_message(false, '" + FencesPassed.PREFIX + "', ?, true)::text")) {
                statement.setString(1, passed.token());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return new Fence(Lsn.parse(row.getString(1)), passed);
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (passed != null) {
                passed.close();
            }
            close();
            throw e;
        }
    }

    /** Closes the fence's connection (opened again when needed). */
    @Override
    public void close() {
        if (fenceConnection != null) {
            try {
                fenceConnection.close();
            } catch (SQLException e) {
                // closing a connection that failed: nothing left to release
            }
            fenceConnection = null;
        }
    }

    /**
     * Returns once capture has passed {@code target}.
     *
     * @throws CaptureBehindException if it has not within the timeout (capture stopped or far behind)
     */
    void await(Connection connection, Fence fence) throws SQLException, CaptureBehindException,
            InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long pause = 1;
        long nudgeAfter = NUDGE_FIRST_NANOS;
        long nextNudge = started + nudgeAfter;
        Lsn target = fence.lsn();
        FencesPassed.Expected passed = fence.passed();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT (SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?),
                       (SELECT lsn::text FROM concord.capture_progress WHERE slot = ?)""")) {
            statement.setString(1, slot);
            statement.setString(2, slot);
            while (true) {
                if (passed != null && signals.captureHere() && passed.await(POLL_MILLIS_WITH_SIGNAL)) {
                    return;
                }
                if (passed != null && System.nanoTime() > nextNudge) {
                    // A logical walsender can sleep through the flush of a fence when nothing else is written
                    // (its wake-up lost between its look at the flushed position and its sleep): the bench saw
                    // single waits of 3.5 and 6 s on an otherwise quiet b, the slot confirmed up to just before
                    // the fence. Another flushed fence wakes it; capture handles fences in WAL order, so once
                    // the later one is passed, so is this one.
                    FencesPassed.Expected again = nudge();
                    passed.close();
                    passed = again;
                    nudgeAfter = Math.min(NUDGE_MAX_NANOS, nudgeAfter * 2);
                    nextNudge = System.nanoTime() + nudgeAfter;
                }
                String confirmed;
                String progress;
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    confirmed = row.getString(1);
                    progress = row.getString(2);
                }
                if (passed(confirmed, target) || passed(progress, target)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new CaptureBehindException("capture of slot " + slot + " has not reached WAL position "
                            + target + " within " + timeout.toMillis() + " ms (slot confirmed " + confirmed
                            + ", capture progress " + progress + "): is capture running? Apply may not compare"
                            + " versions before capture has recorded every local write of the rows");
                }
                if (passed != null && signals.captureHere()) {
                    continue; // the signal's wait is the pause
                }
                if (passed != null ? passed.await(pause) : sleep(pause)) {
                    return;
                }
                // Capture usually passes the target within milliseconds (it only has to record the previous
                // batch's states), and every batch waits here: poll tightly for a second, then back off.
                pause = Math.min(System.nanoTime() - started < 1_000_000_000L ? 2 : 50, pause * 2);
            }
        } finally {
            if (passed != null) {
                passed.close();
            }
        }
    }

    /** Writes another fence, later than the one waited for (PostgreSQL 17: messages); returns its word to wait for. */
    private FencesPassed.Expected nudge() throws SQLException {
        return target(null).passed();
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return false;
    }

    private static boolean passed(String position, Lsn target) {
        return position != null && !Lsn.parse(position).isBefore(target);
    }

    /** Capture did not reach the position apply waits for in time; retryable. */
    static final class CaptureBehindException extends Exception {
        CaptureBehindException(String message) {
            super(message);
        }
    }
}
