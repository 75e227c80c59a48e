package io.concord.replicator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Writes to {@code concord.dead_letters}: what could not be replicated, with the reason and
 * where it came from, so that nothing is dropped silently. A dead letter is keyed by its source
 * position, so recording the same one twice (a replay) keeps one row; a letter being retried that fails
 * again is the same row, back to {@code new} with the new reason.
 *
 * <p>People list, retry and discard letters ({@code concord dlq}). A retry is only requested here (status
 * {@code retry}): the running apply of the DC takes the letter in through the same applier as its peer's
 * other events ({@code apply.DeadLetterRetrier}), because only that process may act under the peer's
 * replication origin.
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
                ON CONFLICT (source_topic, source_partition, source_offset) DO UPDATE
                   SET error_class = EXCLUDED.error_class, reason = EXCLUDED.reason, failed_at = now(), status = 'new'
                 WHERE dead_letters.status = 'retry'""")) {
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

    /** A dead letter as stored. */
    public record Stored(long id, OffsetDateTime failedAt, String errorClass, String reason, String source,
            int partition, long offset, String table, byte[] payload, String status, OffsetDateTime retriedAt) {

        /** Whether it came from a peer's topic (so apply can take it in again), not from local capture. */
        public boolean fromTopic() {
            return !source.startsWith("wal:") && payload != null;
        }
    }

    private static final String COLUMNS = "id, failed_at, error_class, reason, source_topic, source_partition,"
            + " source_offset, table_name, payload, status, retried_at";

    /** The letters of {@code status} (all when null), newest first. */
    public List<Stored> list(Connection connection, String status, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM concord.dead_letters WHERE (?::text IS NULL OR status = ?) ORDER BY id DESC LIMIT ?")) {
            statement.setString(1, status);
            statement.setString(2, status);
            statement.setInt(3, limit);
            return read(statement);
        }
    }

    public Optional<Stored> get(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM concord.dead_letters WHERE id = ?")) {
            statement.setLong(1, id);
            return read(statement).stream().findFirst();
        }
    }

    /** The letters whose retry was requested, from this partition of these topics, oldest first. */
    public List<Stored> retriesRequested(Connection connection, Collection<String> topics, int partition)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM concord.dead_letters"
                + " WHERE status = 'retry' AND source_topic = ANY (?) AND source_partition = ? ORDER BY id")) {
            statement.setArray(1, connection.createArrayOf("text", topics.toArray()));
            statement.setInt(2, partition);
            return read(statement);
        }
    }

    /**
     * Asks for the letter to be retried; only a {@code new} letter from a peer's topic can be.
     *
     * @return whether it was (false: not found, not new, or not from a topic)
     */
    public boolean requestRetry(Connection connection, long id) throws SQLException {
        return update(connection, "UPDATE concord.dead_letters SET status = 'retry' WHERE id = ? AND status = 'new'"
                + " AND payload IS NOT NULL AND source_topic NOT LIKE 'wal:%'", id);
    }

    /** Sets the letter aside for good; a letter being retried cannot be. */
    public boolean discard(Connection connection, long id) throws SQLException {
        return update(connection, "UPDATE concord.dead_letters SET status = 'discarded' WHERE id = ?"
                + " AND status IN ('new', 'discarded')", id);
    }

    /** The retry took the letter in (applied, or found superseded). */
    public void retried(Connection connection, long id) throws SQLException {
        update(connection, "UPDATE concord.dead_letters SET status = 'retried', retried_at = now() WHERE id = ?"
                + " AND status = 'retry'", id);
    }

    /** The retry failed again: back to {@code new}, with why. */
    public void retryFailed(Connection connection, long id, String errorClass, String reason) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE concord.dead_letters SET status = 'new',"
                + " error_class = ?, reason = ?, failed_at = now() WHERE id = ? AND status = 'retry'")) {
            statement.setString(1, errorClass);
            statement.setString(2, reason);
            statement.setLong(3, id);
            statement.executeUpdate();
        }
    }

    private static boolean update(Connection connection, String sql, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            return statement.executeUpdate() > 0;
        }
    }

    private static List<Stored> read(PreparedStatement statement) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                out.add(new Stored(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getString(8), rs.getBytes(9),
                        rs.getString(10), rs.getObject(11, OffsetDateTime.class)));
            }
        }
        return out;
    }
}
