package io.concord.replicator.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the marker row on {@code b} while a backlog is applied, and notes when the start and the end marker
 * became visible there. Both systems apply in {@code a}'s commit order, so the end marker visible means every
 * row before it is too. Polled by primary key every {@value #POLL_MICROS} µs: that is the resolution.
 */
final class MarkerProbe {

    static final long POLL_MICROS = 2_000;

    private final Db target;

    MarkerProbe(Db target) {
        this.target = target;
    }

    /** When each marker was first seen, in {@link System#nanoTime()}. */
    record Seen(long startNanos, long endNanos) {
    }

    /** Polls until the end marker is visible; fails after {@code timeout}. */
    Seen awaitEnd(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = 0;
        try (Connection connection = target.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT k FROM items WHERE id = ?")) {
            statement.setLong(1, BacklogLoader.MARKER_ID);
            while (true) {
                int k;
                try (ResultSet rs = statement.executeQuery()) {
                    k = rs.next() ? rs.getInt(1) : 0;
                }
                long now = System.nanoTime();
                if (k >= BacklogLoader.START && start == 0) {
                    start = now;
                }
                if (k >= BacklogLoader.END) {
                    return new Seen(start, now);
                }
                if (now > deadline) {
                    throw new TimeoutException("the backlog was not applied on " + target + " within "
                            + timeout.toSeconds() + " s (marker at " + k + ")");
                }
                LockSupport.parkNanos(POLL_MICROS * 1_000);
            }
        }
    }
}
