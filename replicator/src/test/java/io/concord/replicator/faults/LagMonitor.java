package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.Function;

/**
 * Watches replication lag while the load runs: every second, the lag each DC's apply last measured on a peer's
 * heartbeat ({@code concord.peer_status.lag_millis}: arrival time minus the time the peer's capture sent it, so
 * it includes every delay on the way, backlogs after an outage too). Keeps the largest seen.
 */
final class LagMonitor implements AutoCloseable {

    private final Function<String, PostgresServer> postgres;
    private final Instant since;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxLagMillis;
    private volatile String maxLagWhere = "none measured";

    LagMonitor(Function<String, PostgresServer> postgres) {
        this.postgres = postgres;
        this.since = Instant.now();
        this.thread = new Thread(this::watch, "lag-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            for (String dc : SuiteTable.DCS) {
                try (Connection connection = postgres.apply(dc).connect();
                     PreparedStatement statement = connection.prepareStatement(
                             "SELECT peer, lag_millis FROM concord.peer_status WHERE updated_at >= ?")) {
                    statement.setTimestamp(1, Timestamp.from(since));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getLong(2) > maxLagMillis) {
                                maxLagMillis = rs.getLong(2);
                                maxLagWhere = rs.getString(1) + " -> " + dc;
                            }
                        }
                    }
                } catch (Exception e) {
                    // the DC's PostgreSQL may be down (a fault): nothing to measure there now
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long maxLagMillis() {
        return maxLagMillis;
    }

    /** Which peer's changes, into which DC, lagged the most. */
    String maxLagWhere() {
        return maxLagWhere;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
