package io.concord.replicator.apply;

import io.concord.replicator.store.ApplyProgressStore;
import io.concord.replicator.store.DeadLetterStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply topology's own connection, apart from the appliers': reads {@code concord.apply_progress},
 * records dead letters that never reach an applier, and peers' heartbeats in {@code concord.peer_status}.
 * A connection that failed is dropped and opened again on next use.
 */
final class ApplyStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyStore.class);

    /** Where a partition's applied events end, written with dead letters that settle a whole batch. */
    record Progress(String topic, int partition, String peer, long nextOffset, long sourceLsn) {
    }

    private final BatchApplier.ConnectionSource source;
    private final DeadLetterStore deadLetters = new DeadLetterStore();
    private Connection connection;

    ApplyStore(BatchApplier.ConnectionSource source) {
        this.source = source;
    }

    /** The first offset of {@code topic}:{@code partition} not applied here yet; 0 if none was. */
    long nextOffset(String topic, int partition) throws SQLException {
        return run(db -> {
            try (PreparedStatement statement = db.prepareStatement(
                    "SELECT next_offset FROM concord.apply_progress WHERE topic = ? AND partition = ?")) {
                statement.setString(1, topic);
                statement.setInt(2, partition);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
    }

    /** Records the dead letters, and moves the progress past them if given, in one transaction. */
    void deadLetters(List<DeadLetterStore.DeadLetter> letters, Progress progress) throws SQLException {
        run(db -> {
            for (DeadLetterStore.DeadLetter letter : letters) {
                deadLetters.record(db, letter);
            }
            if (progress != null) {
                ApplyProgressStore.advance(db, progress.topic(), progress.partition(), progress.peer(),
                        progress.nextOffset(), progress.sourceLsn());
            }
            return null;
        });
    }

    /**
     * The dead letters recorded for the records {@code from..to} (inclusive) of {@code topic}:{@code partition},
     * in offset order: those an applier set aside in its own transaction, to be published once it committed.
     */
    List<DeadLetterStore.DeadLetter> deadLetters(String topic, int partition, long from, long to) throws SQLException {
        return run(db -> {
            List<DeadLetterStore.DeadLetter> letters = new ArrayList<>();
            try (PreparedStatement statement = db.prepareStatement("""
                    SELECT error_class, reason, source_offset, table_name, record_key, payload
                      FROM concord.dead_letters
                     WHERE source_topic = ? AND source_partition = ? AND source_offset BETWEEN ? AND ?
                     ORDER BY source_offset""")) {
                statement.setString(1, topic);
                statement.setInt(2, partition);
                statement.setLong(3, from);
                statement.setLong(4, to);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        letters.add(new DeadLetterStore.DeadLetter(row.getString(1), row.getString(2), topic, partition,
                                row.getLong(3), row.getString(4), row.getBytes(5), row.getBytes(6)));
                    }
                }
            }
            return letters;
        });
    }

    /** Upserts a peer's liveness from its heartbeat. */
    void heartbeat(String peer, long heartbeatMicros, long lsn, long lagMillis) throws SQLException {
        run(db -> {
            try (PreparedStatement statement = db.prepareStatement("""
                    INSERT INTO concord.peer_status AS s (peer, last_heartbeat_at, heartbeat_lsn, lag_millis)
                    VALUES (?, 'epoch'::timestamptz + ? * interval '1 microsecond', ?, ?)
                    ON CONFLICT (peer) DO UPDATE
                       SET last_heartbeat_at = EXCLUDED.last_heartbeat_at, heartbeat_lsn = EXCLUDED.heartbeat_lsn,
                           lag_millis = EXCLUDED.lag_millis, updated_at = now()""")) {
                statement.setString(1, peer);
                statement.setLong(2, heartbeatMicros);
                statement.setLong(3, lsn);
                statement.setLong(4, lagMillis);
                statement.executeUpdate();
            }
            return null;
        });
    }

    private interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    private <T> T run(Work<T> work) throws SQLException {
        try {
            if (connection == null) {
                connection = source.open();
                connection.setAutoCommit(false);
            }
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the apply store connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
