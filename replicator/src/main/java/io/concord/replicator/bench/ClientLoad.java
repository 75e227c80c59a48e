package io.concord.replicator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that each run one statement in a loop, one transaction per statement (autocommit), as fast as the
 * server answers, for a fixed time; like pgbench with a custom script.
 */
final class ClientLoad {

    /** Sets the parameters of a client's {@code n}th statement. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement, int client, long n, SplittableRandom random) throws SQLException;
    }

    private ClientLoad() {
    }

    /** What the clients did: transactions committed, and the CPU their threads spent in this JVM. */
    record Outcome(long transactions, long cpuNanos) {
    }

    /** Runs one client per entry of {@code clients} (the database it writes to); returns the transactions committed. */
    static long run(List<Db> clients, String sql, Binder binder, Duration duration) throws Exception {
        return measured(clients, sql, binder, duration).transactions();
    }

    /** As {@link #run}, with the CPU the client threads spent (to tell theirs from the replication's). */
    static Outcome measured(List<Db> clients, String sql, Binder binder, Duration duration) throws Exception {
        return measured(clients, sql, binder, duration, new AtomicLong());
    }

    /** As {@link #measured}, counting each transaction in {@code committed} as it commits, for others to follow. */
    static Outcome measured(List<Db> clients, String sql, Binder binder, Duration duration, AtomicLong committed)
            throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong cpuNanos = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients.size(), Threads.named("bench-client-"));
        try {
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                int client = i;
                counts.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(client);
                    long n = 0;
                    try (Connection connection = clients.get(client).connect();
                            PreparedStatement statement = connection.prepareStatement(sql)) {
                        while (System.nanoTime() < end) {
                            binder.bind(statement, client, n, random);
                            statement.executeUpdate();
                            committed.incrementAndGet();
                            n++;
                        }
                    } finally {
                        cpuNanos.addAndGet(Math.max(0, threads.getCurrentThreadCpuTime()));
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return new Outcome(total, cpuNanos.get());
        } finally {
            pool.shutdownNow();
            // Ended before the caller samples CPU: an ended thread's time is in the JVM's rest, which cpuNanos
            // is then taken from.
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
