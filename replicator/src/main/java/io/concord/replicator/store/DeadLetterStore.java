package io.concord.replicator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes to {@code concord.dead_letters}: what could not be replicated, with the reason and
 * where it came from, so that nothing is dropped silently. A dead letter is keyed by its source
 * position, so recording the same one twice (a replay) keeps one row.
 */
public final class DeadLetterStore {

    /** One dead letter. {@code source} is a topic, or {@code wal:<slot>} for what capture refused. */
    public record DeadLetter(String errorClass, String reason, String source, int partition, long offset,
            String table, byte[] key, byte[] payload) {
    }

    /** Records it in the caller's transaction; never commits. */
    public void record(Connection connection, DeadLetter letter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO concord.dead_letters (error_class, reason, source_topic, source_partition, source_offset,
                                                  table_name, record_key, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING""")) {
            statement.setString(1, letter.errorClass());
            statement.setString(2, letter.reason());
            statement.setString(3, letter.source());
            statement.setInt(4, letter.partition());
            statement.setLong(5, letter.offset());
            statement.setString(6, letter.table());
            statement.setBytes(7, letter.key());
            statement.setBytes(8, letter.payload());
            statement.executeUpdate();
        }
    }
}
