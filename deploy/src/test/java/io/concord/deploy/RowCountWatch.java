package io.concord.deploy;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Polls a count in one DC, as fast as it can, until it reaches its final value; keeps every value it saw.
 * A source transaction applied whole shows only the count before it and after it, never one in between.
 */
final class RowCountWatch implements AutoCloseable {

    private final Set<Long> seen = new TreeSet<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Exception failure;

    private RowCountWatch(PostgresServer postgres, String countSql, long last, long timeoutMillis) {
        this.thread = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
                long value = -1;
                while (value != last && !stopped && System.nanoTime() < deadline) {
                    try (ResultSet rows = statement.executeQuery(countSql)) {
                        rows.next();
                        value = rows.getLong(1);
                    }
                    synchronized (seen) {
                        seen.add(value);
                    }
                }
            } catch (SQLException e) {
                failure = e;
            }
        }, "row-count-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts polling {@code countSql} (one row, one number) until it returns {@code last}. */
    static RowCountWatch start(PostgresServer postgres, String countSql, long last, long timeoutMillis) {
        return new RowCountWatch(postgres, countSql, last, timeoutMillis);
    }

    /** Waits for the final value (or the timeout) and returns every value seen. */
    Set<Long> awaitSeen() throws Exception {
        thread.join();
        if (failure != null) {
            throw failure;
        }
        synchronized (seen) {
            return new TreeSet<>(seen);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
    }
}
