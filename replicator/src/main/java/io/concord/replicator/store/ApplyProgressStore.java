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

    /** Records that everything before {@code nextOffset} is applied; never commits. */
    public static void advance(Connection connection, String topic, int partition, String peer, long nextOffset,
            long sourceLsn) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO concord.apply_progress AS p (topic, partition, source_dc, next_offset, source_lsn)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (topic, partition) DO UPDATE
                   SET source_dc = EXCLUDED.source_dc, next_offset = EXCLUDED.next_offset,
                       source_lsn = EXCLUDED.source_lsn, applied_at = now()
                 WHERE p.next_offset <= EXCLUDED.next_offset""")) {
            statement.setString(1, topic);
            statement.setInt(2, partition);
            statement.setString(3, peer);
            statement.setLong(4, nextOffset);
            statement.setLong(5, sourceLsn);
            statement.executeUpdate();
        }
    }
}
