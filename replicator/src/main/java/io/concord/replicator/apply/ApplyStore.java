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
     * Upserts a peer's liveness from its heartbeat, and moves the progress past the heartbeat if given (nothing
     * before it waits to be applied), so that the position counts only real events still to apply.
     */
    void heartbeat(String peer, long heartbeatMicros, long lsn, long lagMillis, Progress progress)
            throws SQLException {
        run(db -> {
            if (progress != null) {
                ApplyProgressStore.advance(db, progress.topic(), progress.partition(), progress.peer(),
                        progress.nextOffset(), progress.sourceLsn());
            }
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

    interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own on the store's connection, and commits. */
    <T> T run(Work<T> work) throws SQLException {
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
