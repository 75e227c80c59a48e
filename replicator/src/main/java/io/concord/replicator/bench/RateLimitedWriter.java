package io.concord.replicator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * Inserts rows {@code first..first+rate*seconds-1} on {@code a}, one per transaction (autocommit, synchronous commit as
 * the server has it), each at its slot of a fixed schedule of {@code rate} per second. Several connections
 * share the schedule, so that one slow commit (an fsync) does not hold the rows behind it back.
 */
final class RateLimitedWriter {

    private final Db db;
    private final int rate;
    private final long rows;
    private final int connections;
    private final long first;

    RateLimitedWriter(Db db, int rate, Duration duration, int connections) {
        this(db, rate, duration, connections, 1);
    }

    /** A writer of ids from {@code first} on (a warm-up writes ids the measured run never looks at). */
    RateLimitedWriter(Db db, int rate, Duration duration, int connections, long first) {
        this.first = first;
        this.db = db;
        this.rate = rate;
        this.rows = rate * duration.toSeconds();
        this.connections = connections;
    }

    long rows() {
        return rows;
    }

    /** How the schedule was kept: the rate reached, and how late the latest row started. */
    /**
     * How the schedule was kept: the rate reached, how late the latest row started, and the CPU time the writer's
     * threads took (client side: the JDBC driver's work for the application's writes).
     */
    record Outcome(double achievedRate, double maxBehindMillis, long cpuNanos) {
    }

    Outcome run() throws Exception {
        AtomicLong next = new AtomicLong(1);
        long offset = first - 1;
        AtomicLong maxBehindNanos = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        double nanosPerRow = 1e9 / rate;
        ExecutorService pool = Executors.newFixedThreadPool(connections, Threads.named("bench-writer-"));
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                writers.add(pool.submit(() -> {
                    long cpuAtStart = threads.getCurrentThreadCpuTime();
                    try (Connection connection = db.connect(); PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO items VALUES (?, 0, ?, now())")) {
                        for (long id = next.getAndIncrement(); id <= rows; id = next.getAndIncrement()) {
                            long due = start + (long) ((id - 1) * nanosPerRow);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            maxBehindNanos.accumulateAndGet(System.nanoTime() - due, Math::max);
                            insert.setLong(1, offset + id);
                            insert.setString(2, "row " + (offset + id));
                            insert.executeUpdate();
                        }
                    } finally {
                        cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpuAtStart);
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
        return new Outcome(rows / seconds, maxBehindNanos.get() / 1e6, cpuNanos.get());
    }
}
