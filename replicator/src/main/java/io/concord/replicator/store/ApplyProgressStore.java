package io.concord.replicator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes {@code concord.apply_progress}: the next offset to apply in a peer topic's partition.
 * Always called in the transaction that applied (or dead-lettered) the records before it, so it
 * is what was applied, whatever Kafka's committed offsets say. It never moves backwards.
 */
public final class ApplyProgressStore {

    private ApplyProgressStore() {
    }

    /**
     * Records that everything before {@code nextOffset} is applied; never commits. The position never moves
     * back (a retried dead letter lies behind it), but the row is written every time: capture takes a new
     * version of these rows as the sign that apply has stored row states since it last looked.
     */
    public static void advance(Connection connection, String topic, int partition, String peer, long nextOffset,
            long sourceLsn) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO concord.apply_progress AS p (topic, partition, source_dc, next_offset, source_lsn)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE
                   SET source_dc = CASE WHEN p.next_offset <= EXCLUDED.next_offset
                                        THEN EXCLUDED.source_dc ELSE p.source_dc END,
                       source_lsn = CASE WHEN p.next_offset <= EXCLUDED.next_offset
                                         THEN EXCLUDED.source_lsn ELSE p.source_lsn END,
                       applied_at = CASE WHEN p.next_offset <= EXCLUDED.next_offset
                                         THEN now() ELSE p.applied_at END,
                       next_offset = greatest(p.next_offset, EXCLUDED.next_offset)""")) {
            statement.setString(1, topic);
            statement.setInt(2, partition);
            statement.setString(3, peer);
            statement.setLong(4, nextOffset);
            statement.setLong(5, sourceLsn);
            statement.executeUpdate();
        }
    }

    /**
     * Moves the position from {@code expected} to {@code nextOffset}, only if it is at {@code expected}: for the later
     * part of a batch applied in parts, which must continue exactly where the part before it (committed) left off.
     * Never commits.
     *
     * @return false if the position is elsewhere (nothing written)
     */
    public static boolean advanceFrom(Connection connection, String topic, int partition, String peer, long expected,
            long nextOffset, long sourceLsn) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE concord.apply_progress
                   SET source_dc = ?, next_offset = ?, source_lsn = ?, applied_at = now()
                 WHERE topic = ? AND partition = ? AND next_offset = ?""")) {
            statement.setString(1, peer);
            statement.setLong(2, nextOffset);
            statement.setLong(3, sourceLsn);
            statement.setString(4, topic);
            statement.setInt(5, partition);
            statement.setLong(6, expected);
            return statement.executeUpdate() == 1;
        }
    }
}
