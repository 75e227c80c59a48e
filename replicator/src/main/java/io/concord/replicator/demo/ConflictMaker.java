package io.concord.replicator.demo;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Makes conflicts on purpose: the same row written in every DC in transactions that are all open at once, so
 * that no DC has seen another's write when it commits — concurrent versions, whatever the timing.
 */
final class ConflictMaker {

    private final Map<String, PostgresServer> dcs;
    private final SplittableRandom random;
    private final DemoWriter.DemoTally tally;

    ConflictMaker(Map<String, PostgresServer> dcs, long seed, DemoWriter.DemoTally tally) {
        this.dcs = dcs;
        this.random = new SplittableRandom(seed);
        this.tally = tally;
    }

    /** One round: a row of each table written in every DC at once; every fourth round a DC deletes an order. */
    void round() throws SQLException {
        long round = tally.conflictRounds.incrementAndGet();
        long account = 1 + random.nextInt(DemoSchema.ACCOUNTS);
        long profile = 1 + random.nextInt(DemoSchema.PROFILES);
        String sku = String.format("sku-%03d", 1 + random.nextInt(DemoSchema.SKUS));
        long order = 1 + random.nextInt(DemoSchema.ORDERS);
        boolean delete = round % 4 == 0;
        List<Connection> open = new ArrayList<>();
        List<Long> deltas = new ArrayList<>();
        try {
            int i = 0;
            for (Map.Entry<String, PostgresServer> dc : dcs.entrySet()) {
                Connection connection = dc.getValue().connect();
                open.add(connection);
                connection.setAutoCommit(false);
                long delta = random.nextLong(1, 100);
                if (execute(connection, "UPDATE accounts SET balance = balance + ? WHERE id = ?", delta, account) == 1) {
                    deltas.add(delta);
                }
                execute(connection, "UPDATE profiles SET name = ?, updated_at = now() WHERE id = ?",
                        "renamed in " + dc.getKey(), profile);
                execute(connection, "UPDATE inventory SET qty = ?, location = ? WHERE sku = ?", 10 * (i + 1),
                        "counted in " + dc.getKey(), sku);
                if (delete && i == dcs.size() - 1) {
                    execute(connection, "DELETE FROM orders WHERE id = ?", order);
                } else {
                    execute(connection, "UPDATE orders SET status = ? WHERE id = ?", "changed in " + dc.getKey(), order);
                }
                i++;
            }
            for (Connection connection : open) {
                connection.commit();
            }
            deltas.forEach(tally.balanceDeltas::addAndGet);
        } finally {
            for (Connection connection : open) {
                connection.close();
            }
        }
    }

    private static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
