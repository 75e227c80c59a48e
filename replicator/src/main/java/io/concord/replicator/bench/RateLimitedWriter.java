package io.concord.replicator.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Inserts rows {@code 1..rate*seconds} on {@code a}, one per transaction (autocommit, synchronous commit as
 * the server has it), each at its slot of a fixed schedule of {@code rate} per second. Several connections
 * share the schedule, so that one slow commit (an fsync) does not hold the rows behind it back.
 */
final class RateLimitedWriter {

    private final Db db;
    private final int rate;
    private final long rows;
    private final int connections;

    RateLimitedWriter(Db db, int rate, Duration duration, int connections) {
        this.db = db;
        this.rate = rate;
        this.rows = rate * duration.toSeconds();
        this.connections = connections;
    }

    long rows() {
        return rows;
    }

    /** How the schedule was kept: the rate reached, and how late the latest row started. */
    record Outcome(double achievedRate, double maxBehindMillis) {
    }

    Outcome run() throws Exception {
        AtomicLong next = new AtomicLong(1);
        AtomicLong maxBehindNanos = new AtomicLong();
        long start = System.nanoTime();
        double nanosPerRow = 1e9 / rate;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                writers.add(pool.submit(() -> {
                    try (Connection connection = db.connect(); PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO items VALUES (?, 0, ?, now())")) {
                        for (long id = next.getAndIncrement(); id <= rows; id = next.getAndIncrement()) {
                            long due = start + (long) ((id - 1) * nanosPerRow);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            maxBehindNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
                            insert.setLong(1, id);
                            insert.setString(2, "row " + id);
                            insert.executeUpdate();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(rows / seconds, maxBehindNanos.get() / 1e6);
    }
}
