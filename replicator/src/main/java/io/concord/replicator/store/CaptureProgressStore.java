package io.concord.replicator.store;

import io.concord.replicator.capture.Lsn;
import io.concord.replicator.publish.CaptureFencedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where capture stands, in {@code concord.capture_progress} (one row per replication slot, created by
 * {@code concord install}), and the epoch that keeps one capture instance active per slot.
 *
 * <p><b>Fencing.</b> An instance that takes over capture {@link #claim}s the slot, which bumps the
 * epoch, and saves progress under that epoch only; a save under an older epoch throws
 * {@link CaptureFencedException}. The epoch is checked under the progress row's lock in the same
 * transaction as the batch's row states, so an instance that has been taken over cannot commit
 * anything more: save the progress <em>first</em> in the batch's transaction (it takes that lock
 * before any row state is touched), and on the exception roll the transaction back and stop.
 *
 * <p>No method commits; all run in the caller's transaction. Thread-safe; holds no connection.
 */
public final class CaptureProgressStore {

    /**
     * Capture's progress.
     *
     * @param lsn   every transaction that commits before it is published and reflected in the row states
     * @param hlc   this DC's hybrid logical clock at {@code lsn}: restarting from it stamps every later
     *              write after every earlier one
     * @param epoch the epoch of the instance that last claimed the slot
     */
    public record Progress(Lsn lsn, long hlc, long epoch) {
    }

    /**
     * The progress of {@code slot}.
     *
     * @throws IllegalStateException if the slot has no progress row (Concord is not installed for it)
     */
    public Progress load(Connection connection, String slot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lsn::text, hlc, epoch FROM concord.capture_progress WHERE slot = ?")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw notInstalled(slot);
                }
                return new Progress(Lsn.parse(row.getString(1)), row.getLong(2), row.getLong(3));
            }
        }
    }

    /**
     * Makes the caller the active capture instance of {@code slot}: bumps the epoch and returns it. Once
     * the caller's transaction commits, every save under an earlier epoch fails. Commit before writing
     * anything under the new epoch; until then an older instance is not fenced yet.
     *
     * @throws IllegalStateException if the slot has no progress row
     */
    public long claim(Connection connection, String slot) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE concord.capture_progress SET epoch = epoch + 1, updated_at = now()
                 WHERE slot = ? RETURNING epoch""")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw notInstalled(slot);
                }
                return row.getLong(1);
            }
        }
    }

    /** The server's WAL insert and flush positions, read together. */
    public record WalPositions(Lsn insert, Lsn flushed) {
    }

    /**
     * Records that capture of {@code slot} has reached {@code lsn} with its clock at {@code hlc}, if
     * {@code epoch} is still the slot's epoch. Progress never moves back: a WAL replay after a restart
     * passes positions already recorded, and they stay recorded, as does the larger clock.
     *
     * @return the server's WAL positions as the statement ran: capture learns from them, without a round trip
     *     of its own, whether its earlier asynchronous commits are on disk yet
     * @throws CaptureFencedException if another instance has claimed the slot since {@code epoch}:
     *     roll back and stop, this instance must write nothing more
     */
    public WalPositions save(Connection connection, String slot, long epoch, Lsn lsn, long hlc) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE concord.capture_progress
                   SET lsn = GREATEST(lsn, ?::pg_lsn), hlc = GREATEST(hlc, ?), updated_at = now()
                 WHERE slot = ? AND epoch = ?
                RETURNING pg_current_wal_insert_lsn()::text, pg_current_wal_flush_lsn()::text""")) {
            statement.setString(1, lsn.toString());
            statement.setLong(2, hlc);
            statement.setString(3, slot);
            statement.setLong(4, epoch);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    return new WalPositions(Lsn.parse(row.getString(1)), Lsn.parse(row.getString(2)));
                }
            }
        }
        Progress now = load(connection, slot);
        throw new CaptureFencedException("capture of slot " + slot + " was taken over by another instance (epoch "
                + now.epoch() + ", this instance holds " + epoch + "): progress " + lsn
                + " not saved; this instance must stop", null);
    }

    /** The server's WAL positions ({@link #save}'s), read alone. */
    public WalPositions walPositions(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_current_wal_insert_lsn()::text, pg_current_wal_flush_lsn()::text");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return new WalPositions(Lsn.parse(row.getString(1)), Lsn.parse(row.getString(2)));
        }
    }

    private static IllegalStateException notInstalled(String slot) {
        return new IllegalStateException("no capture progress for slot '" + slot
                + "' in concord.capture_progress: run `concord install` for this DC first");
    }
}
