package io.concord.replicator.store;

import java.util.Properties;

/**
 * Planner settings for the sessions capture and apply open, given at connection start (no round trip), so
 * that their keyed lookups stay index lookups whatever the tables' size and statistics.
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
 */
public final class SessionOptions {

    static final String OPTIONS = "-c plan_cache_mode=force_custom_plan -c random_page_cost=1.1";

    private SessionOptions() {
    }

    /** Adds the options to a connection's properties, after any already there (the user's go first). */
    public static Properties addTo(Properties properties) {
        String given = properties.getProperty("options");
        properties.setProperty("options", given == null || given.isBlank() ? OPTIONS : given + " " + OPTIONS);
        return properties;
    }
}
