package io.concord.replicator.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the replication slot is behind the server's WAL, in bytes: {@code pg_current_wal_lsn()} minus the
 * slot's {@code confirmed_flush_lsn}. Read when a scrape asks, at most once per {@code maxAge} whatever the
 * number of scrapers. A failed read never fails a scrape: the value is {@link Double#NaN}, the first failure
 * is logged and the next ones are not, until a read succeeds again.
 *
 * <p>Thread-safe: scrapes may come in parallel.
 */
public final class SlotLag implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlotLag.class);
    private static final int QUERY_TIMEOUT_SECONDS = 2;

    /** Reads the lag once; empty when the slot does not exist. */
    @FunctionalInterface
    public interface Reader {
        OptionalLong read() throws SQLException;
    }

    /** Opens a connection to the DC's PostgreSQL. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final String slot;
    private final Reader reader;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private double bytes = Double.NaN;
    private long readAt;
    private boolean read;
    private boolean failing;

    /** Reads through {@code reader} (closed with this if it is {@link AutoCloseable}). */
    public SlotLag(String slot, Reader reader, Duration maxAge, LongSupplier nanoTime) {
        this.slot = slot;
        this.reader = reader;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Reads from PostgreSQL over one connection of its own, opened on first use and again after a failure. */
    public static SlotLag of(String slot, ConnectionSource connections, Duration maxAge) {
        return new SlotLag(slot, new Query(slot, connections), maxAge, System::nanoTime);
    }

    /** The lag in bytes, at most {@code maxAge} old; NaN if it cannot be read. */
    public synchronized double bytes() {
        long now = nanoTime.getAsLong();
        if (read && now - readAt < maxAgeNanos) {
            return bytes;
        }
        read = true;
        readAt = now;
        try {
            OptionalLong lag = reader.read();
            if (lag.isEmpty()) {
                failed("the slot does not exist, or has confirmed no position yet");
            } else {
                bytes = lag.getAsLong();
                if (failing) {
                    LOG.info("the lag of replication slot {} can be read again", slot);
                    failing = false;
                }
            }
        } catch (SQLException | RuntimeException e) {
            failed(e.getMessage());
        }
        return bytes;
    }

    private void failed(String why) {
        bytes = Double.NaN;
        if (!failing) {
            LOG.warn("cannot read the lag of replication slot {} (reported as NaN until it can): {}", slot, why);
            failing = true;
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (reader instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The query on a connection of its own; a connection that failed is closed and opened afresh next time. */
    private static final class Query implements Reader, AutoCloseable {

        private final String slot;
        private final ConnectionSource connections;
        private Connection connection;

        Query(String slot, ConnectionSource connections) {
            this.slot = slot;
            this.connections = connections;
        }

        @Override
        public OptionalLong read() throws SQLException {
            try {
                if (connection == null) {
                    connection = connections.open();
                }
                try (PreparedStatement statement = connection.prepareStatement("SELECT pg_wal_lsn_diff("
                        + "pg_current_wal_lsn(), confirmed_flush_lsn)::int8 FROM pg_replication_slots"
                        + " WHERE slot_name = ?")) {
                    statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    statement.setString(1, slot);
                    try (ResultSet row = statement.executeQuery()) {
                        if (!row.next()) {
                            return OptionalLong.empty();
                        }
                        long lag = row.getLong(1);
                        return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(lag);
                    }
                }
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
                    LOG.debug("closing the slot lag connection: {}", e.getMessage());
                }
                connection = null;
            }
        }
    }
}
