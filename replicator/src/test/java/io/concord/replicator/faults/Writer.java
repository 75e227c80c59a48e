package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One application connection to one DC, writing as an application would: plain JDBC, one transaction at a
 * time, at a steady pace. Logs every write whose COMMIT succeeded, and every write whose COMMIT was sent but
 * whose outcome it could not learn (in doubt); a transaction that failed before COMMIT wrote nothing.
 * Reconnects after failures (the DC's PostgreSQL may be restarting).
 */
final class Writer implements Runnable {

    private final String dc;
    private final PostgresServer postgres;
    private final Planner planner;
    private final KeySpace keys;
    private final History history;
    private final long intervalNanos;
    private final BooleanSupplier running;
    private Connection connection;
    int committed;
    int inDoubt;
    int failed;

    Writer(String dc, PostgresServer postgres, Planner planner, KeySpace keys, History history,
            double transactionsPerSecond, BooleanSupplier running) {
        this.dc = dc;
        this.postgres = postgres;
        this.planner = planner;
        this.keys = keys;
        this.history = history;
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / transactionsPerSecond);
        this.running = running;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (running.getAsBoolean()) {
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // fell behind (an outage): carry on at the pace, do not burst
            }
            try {
                transaction(planner.next());
            } catch (SQLException e) {
                failed++;
                close();
                sleep(100);
            }
        }
        close();
    }

    /** Runs one transaction; SQLException means it wrote nothing, or is logged in doubt already. */
    void transaction(List<Planner.Planned> planned) throws SQLException {
        Connection db = connection();
        List<Write> done = new ArrayList<>();
        try {
            for (Planner.Planned write : planned) {
                Long xid = execute(db, write);
                if (xid != null) {
                    done.add(new Write(0, dc, xid, write.table(), write.id(), write.op(), write.text(), write.number(),
                            Write.Status.COMMITTED));
                }
            }
        } catch (SQLException e) {
            rollbackQuietly(db);
            planned.stream().filter(Planner.Planned::claimedDelete).forEach(p -> keys.releaseRecordDelete(p.id()));
            throw e;
        }
        try {
            db.commit();
        } catch (SQLException e) {
            done.forEach(w -> logged(w.withStatus(Write.Status.IN_DOUBT), planned));
            inDoubt += done.isEmpty() ? 0 : 1;
            releaseUnused(planned, done);
            throw e;
        }
        done.forEach(w -> logged(w, planned));
        committed += done.isEmpty() ? 0 : 1;
        releaseUnused(planned, done);
    }

    private void logged(Write write, List<Planner.Planned> planned) {
        history.log(write);
        for (Planner.Planned p : planned) {
            if (p.table() == write.table() && p.id() == write.id()) {
                if (p.newPrivateKey()) {
                    keys.privateKeyCreated(dc, p.table(), p.id());
                } else if (p.op() == Write.Op.DELETE && !keys.isShared(p.id())) {
                    keys.privateKeyDeleted(dc, p.table(), p.id());
                }
            }
        }
    }

    /** A claimed delete that found no row did not happen: the key may still be deleted later. */
    private void releaseUnused(List<Planner.Planned> planned, List<Write> done) {
        for (Planner.Planned p : planned) {
            if (p.claimedDelete() && done.stream().noneMatch(w -> w.table() == p.table() && w.id() == p.id())) {
                keys.releaseRecordDelete(p.id());
            }
        }
    }

    /** Executes one write; returns the transaction id if it changed a row, null if there was nothing to change. */
    private static Long execute(Connection db, Planner.Planned write) throws SQLException {
        SuiteTable table = write.table();
        String returning = " RETURNING pg_current_xact_id()::text";
        String sql = switch (write.op()) {
            case INSERT -> "INSERT INTO " + table.tableName() + " (id, " + table.textColumn() + ", " + table.numberColumn()
                    + ") VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING" + returning;
            case UPDATE -> table.isCounter()
                    ? "UPDATE merge_items SET counter = counter + ?, note = ? WHERE id = ?" + returning
                    : "UPDATE " + table.tableName() + " SET " + table.numberColumn() + " = ?, " + table.textColumn()
                            + " = ? WHERE id = ?" + returning;
            case DELETE -> "DELETE FROM " + table.tableName() + " WHERE id = ?" + returning;
        };
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            switch (write.op()) {
                case INSERT -> {
                    statement.setLong(1, write.id());
                    statement.setString(2, write.text());
                    statement.setLong(3, write.number());
                }
                case UPDATE -> {
                    statement.setLong(1, write.number());
                    statement.setString(2, write.text());
                    statement.setLong(3, write.id());
                }
                case DELETE -> statement.setLong(1, write.id());
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Long.parseLong(rs.getString(1)) : null;
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties properties = new Properties();
            properties.setProperty("user", postgres.user());
            properties.setProperty("password", postgres.password());
            properties.setProperty("ApplicationName", "faults-workload-" + dc);
            properties.setProperty("connectTimeout", "5");
            properties.setProperty("socketTimeout", "60");
            connection = DriverManager.getConnection(postgres.jdbcUrl(), properties);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private static void rollbackQuietly(Connection db) {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is dropped next anyway
        }
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection: nothing to release
            }
            connection = null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
