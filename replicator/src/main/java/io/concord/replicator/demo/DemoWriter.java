package io.concord.replicator.demo;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One DC's application: single-row transactions at a steady rate on every demo table, most on a small hot set
 * of rows so that the DCs write the same rows at about the same time.
 */
final class DemoWriter implements Runnable {

    private static final int HOT = 10;
    private static final String[] STATUSES = {"paid", "packed", "shipped", "cancelled", "returned"};

    private final String dc;
    private final int dcIndex;
    private final PostgresServer postgres;
    private final double rate;
    private final SplittableRandom random;
    private final DemoTally tally;
    private volatile boolean stopped;
    private volatile Throwable failure;

    DemoWriter(String dc, int dcIndex, PostgresServer postgres, double rate, long seed, DemoTally tally) {
        this.dc = dc;
        this.dcIndex = dcIndex;
        this.postgres = postgres;
        this.rate = rate;
        this.random = new SplittableRandom(seed);
        this.tally = tally;
    }

    @Override
    public void run() {
        long interval = (long) (1_000_000_000L / rate);
        long next = System.nanoTime();
        long orderIds = (dcIndex + 1) * 1_000_000L;
        try (Connection connection = postgres.connect()) {
            while (!stopped) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += interval;
                write(connection, ++orderIds);
                tally.writes.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    private void write(Connection connection, long newOrderId) throws SQLException {
        int op = random.nextInt(4);
        switch (op) {
            case 0 -> {
                long delta = random.nextLong(-50, 51);
                if (update(connection, "UPDATE accounts SET balance = balance + ? WHERE id = ?", delta, account()) == 1) {
                    tally.balanceDeltas.addAndGet(delta);
                }
            }
            case 1 -> update(connection, "UPDATE profiles SET email = ?, updated_at = now() WHERE id = ?",
                    "user-" + dc + "-" + random.nextInt(1000) + "@example.com", (long) hotOrAny(DemoSchema.PROFILES));
            case 2 -> update(connection, "UPDATE inventory SET qty = ?, location = ? WHERE sku = ?",
                    random.nextInt(0, 500), "bin " + dc + "-" + random.nextInt(100),
                    String.format("sku-%03d", hotOrAny(DemoSchema.SKUS)));
            default -> {
                if (random.nextInt(10) == 0) {
                    update(connection, "INSERT INTO orders VALUES (?, ?, 'placed', ?)", newOrderId,
                            (long) 1 + random.nextInt(DemoSchema.ACCOUNTS), random.nextInt(1, 500));
                } else {
                    update(connection, "UPDATE orders SET status = ? WHERE id = ?",
                            STATUSES[random.nextInt(STATUSES.length)], (long) hotOrAny(DemoSchema.ORDERS));
                }
            }
        }
    }

    private long account() {
        return hotOrAny(DemoSchema.ACCOUNTS);
    }

    /** One of the first {@value #HOT} rows most of the time, else any. */
    private int hotOrAny(int rows) {
        return 1 + random.nextInt(random.nextInt(4) == 0 ? rows : HOT);
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    void stop() {
        stopped = true;
    }

    Throwable failure() {
        return failure;
    }

    /** What the writers of every DC committed, shared: the demo checks the balances against it. */
    static final class DemoTally {
        final AtomicLong writes = new AtomicLong();
        final AtomicLong balanceDeltas = new AtomicLong();
        final AtomicLong conflictRounds = new AtomicLong();
    }
}
