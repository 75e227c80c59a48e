package io.concord.replicator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Settings for the sessions capture and apply open, set once per connection: planner settings, so that their
 * keyed lookups stay index lookups whatever the tables' size and statistics, and asynchronous commits.
 *
 * <p>Their statements look rows up by keys passed as arrays ({@code unnest(?::text[]) JOIN t ON t.key = ...}),
 * the same statement text for every batch:
 * <ul>
 *   <li>{@code plan_cache_mode = force_custom_plan}: after five executions PostgreSQL may switch a prepared
 *       statement to a generic plan, chosen without the array and with the statistics of that moment. One
 *       chosen while a table was empty (a fresh install, a new table) hashes the whole table for every batch
 *       as it grows, until the next ANALYZE: 14 ms for 130 keys against 60,000 rows, 0.5 ms as a custom plan
 *       (psql, the same query). A custom plan costs a fraction of a millisecond to make.</li>
 *   <li>{@code random_page_cost = 1.1}: with the default 4, a batch of 5,000 keys against 200,000 rows is
 *       planned as a hash join over a full scan (98 ms) rather than 5,000 index probes (14 ms). The rows apply
 *       and capture look up were written or read recently and are cached: the cost of a random page is
 *       close to a sequential one for them.</li>
 * </ul>
 * Only Concord's own sessions get these; the application's are untouched.
 *
 * <p>Both commit with {@code synchronous_commit = off}, as PostgreSQL's own subscriptions do by default:
 * <ul>
 *   <li>apply: a batch's progress ({@code concord.apply_progress}) commits with its rows, so a crash that loses
 *       the last unflushed commits loses their progress too, and apply reads those events from Kafka again. Nothing
 *       depends on an applied commit before it is flushed: capture reads it (star hub, ring) only once the
 *       walsender may send it, which is after the flush, and any later local commit that saw it flushes it first
 *       (the WAL is one sequence). Every batch still waits for one flush, its capture fence's.</li>
 *   <li>capture: a batch's row states commit with its progress after Kafka took its events; a crash that loses
 *       them is a crash before that commit, which capture recovers from by reading the WAL again from its slot.
 *       The slot is confirmed only once the commit is on disk (the capture loop's {@code DurableConfirms}).</li>
 * </ul>
 * Each saves a wait for an fsync in every batch (bench, steady lag: capture's commits took 3 of its 30 s, single
 * ones up to 94 ms; asynchronous, 0.9-1.4 s), and the application's WAL device an fsync per batch.
 */
public final class SessionOptions {

    private static final String SETTINGS = "SET plan_cache_mode = force_custom_plan; SET random_page_cost = 1.1;"
            + " SET synchronous_commit = off";

    private SessionOptions() {
    }

    /**
     * Sets Concord's options on a connection capture or apply just opened, outside any transaction (a SET in a
     * transaction that rolls back is undone). Set by statement, not by the {@code options} connection property:
     * an {@code options} parameter in the user's JDBC URL replaces that property whole.
     */
    public static Connection applyTo(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(SETTINGS);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
