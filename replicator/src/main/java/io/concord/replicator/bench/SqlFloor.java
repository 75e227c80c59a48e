package io.concord.replicator.bench;

import io.concord.replicator.store.ConcordSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.util.OptionalLong;

/**
 * What PostgreSQL alone spends on {@code b} writing a backlog scenario's rows, set-based from inside the server: no
 * client, no protocol, no decoding, one backend, each 1,000-row transaction committed ({@code synchronous_commit =
 * off}, as both systems' appliers commit). Scenario 2's inserts ({@link #measure}) in two shapes, scenario 3's updates
 * of random rows ({@link #measureUpdates}) in three, each on a fresh database:
 * <ul>
 *   <li>{@code row} — the rows only: the least any apply must write;</li>
 *   <li>{@code row+version} — each row and its version in {@code concord.row_versions} (a state of
 *       {@value #STATE_BYTES} bytes, about a bench row's): the least Concord's design writes, since a version per
 *       row is what conflict detection compares (ARCHITECTURE.md);</li>
 *   <li>{@code lock+read+row+version} (updates) — what Concord's apply does to an existing row: lock it, read its
 *       version, write both.</li>
 * </ul>
 * Neither is a replication system; they put Concord's and native's CPU per row beside what the server's own work
 * costs, measured in the same run on the same server.
 */
final class SqlFloor {

    static final String ROW = "row";
    static final String ROW_AND_VERSION = "row+version";
    static final String LOCK_READ_ROW_AND_VERSION = "lock+read+row+version";
    static final int STATE_BYTES = 160;

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Progress progress;

    SqlFloor(BenchCluster cluster, BenchSettings settings, Progress progress) {
        this.cluster = cluster;
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs both shapes once, adding their rate and CPU per row to {@code result}. */
    void measure(ScenarioResult result) throws Exception {
        for (String shape : new String[] {ROW, ROW_AND_VERSION}) {
            measure(shape, result);
        }
        result.note("row and row+version: PostgreSQL alone on b, no replication — a DO block writing the same "
                + settings.batchTransactions() + " transactions of " + settings.rowsPerBatchTransaction()
                + " rows set-based (INSERT ... SELECT from generate_series), each committed with synchronous_commit off as"
                + " both systems' appliers commit; row+version also writes"
                + " each row's version into concord.row_versions with a " + STATE_BYTES + "-byte state; cpu per row ="
                + " postgres b's CPU meanwhile, per row");
    }

    /** Scenario 3's shape: its updates of random rows of its table, 1,000 to a transaction, in three shapes. */
    void measureUpdates(ScenarioResult result) throws Exception {
        for (String shape : new String[] {ROW, ROW_AND_VERSION, LOCK_READ_ROW_AND_VERSION}) {
            measure("backlog-updates", shape, updatesBlock(shape), updateTransactions() * 1_000L, db -> {
                BacklogLoader.preload(db, settings.updatedRows());
                if (!shape.equals(ROW)) {
                    db.execute(VERSIONS_INSERT.replace("{ids}", "generate_series(1, " + settings.updatedRows()
                            + ") g"));
                }
            }, result);
        }
        result.note("row, row+version, lock+read+row+version: PostgreSQL alone on b, no replication — a DO block"
                + " updating " + settings.updates() + " random rows of the " + settings.updatedRows() + "-row table,"
                + " 1,000 to a transaction (UPDATE ... WHERE id = ANY(ids)), each committed with synchronous_commit off;"
                + " row+version also updates each row's version, lock+read+row+version first locks the rows"
                + " (SELECT ... FOR UPDATE) and reads their versions, as Concord's apply does; the table and versions"
                + " are written before and not counted; cpu per row = postgres b's CPU meanwhile, per row");
    }

    private void measure(String shape, ScenarioResult result) throws Exception {
        long rows = (long) settings.batchTransactions() * settings.rowsPerBatchTransaction();
        measure("backlog-batch", shape, block(shape), rows, db -> { }, result);
    }

    private interface Setup {
        void run(Db db) throws Exception;
    }

    private void measure(String scenario, String shape, String block, long rows, Setup setup, ScenarioResult result)
            throws Exception {
        Db target = cluster.createDatabase(cluster.target(), cluster.nextRunId());
        try {
            if (!shape.equals(ROW)) {
                try (Connection connection = target.connect()) {
                    ConcordSchema.apply(connection);
                }
            }
            setup.run(target);
            OptionalLong cpuBefore;
            OptionalLong cpuAfter;
            long nanos;
            // Sampled while the session lives: an ended backend's CPU shows only once the postmaster reaped it.
            try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
                // As both systems' appliers commit (and native's subscription by default).
                statement.execute("SET synchronous_commit = off");
                cpuBefore = CpuMeter.serverNanos(target);
                long started = System.nanoTime();
                statement.execute(block);
                nanos = System.nanoTime() - started;
                cpuAfter = CpuMeter.serverNanos(target);
            }
            result.add("postgres alone: write rate", "rows/s", true, shape, rows / (nanos / 1e9));
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                double micros = (cpuAfter.getAsLong() - cpuBefore.getAsLong()) / 1e3 / rows;
                result.add("postgres alone: cpu per row", "µs", false, shape, micros);
                progress.log(scenario + " %s: postgres alone %,.0f rows/s, %.1f µs of CPU a row", shape,
                        rows / (nanos / 1e9), micros);
            }
        } finally {
            cluster.dropDatabase(target);
        }
    }

    /** A version for each row of {@code {ids}}, as {@link #block} writes them. */
    private static final String VERSIONS_INSERT = """
            INSERT INTO concord.row_versions (table_name, row_key, state, vector, hlc, dc, deleted, lsn, seq)
              SELECT 'public.items', '["' || g || '"]', decode(repeat(md5(g::text), %d), 'hex'),
                     ('{"a": ' || g || '}')::jsonb, g, 'a', false, '0/1'::pg_lsn, 0
                FROM {ids};""".formatted(STATE_BYTES / 16);

    /** The DO block: scenario 2's rows, and for {@code row+version} their versions in the same transactions. */
    private String block(String shape) {
        String versions = shape.equals(ROW) ? "" : VERSIONS_INSERT;
        return BacklogLoader.insertBlock(settings.batchTransactions(), settings.rowsPerBatchTransaction(), versions);
    }

    /** The DO block of {@link #measureUpdates}: the same random rows (fixed seed) in every shape. */
    private String updatesBlock(String shape) {
        String keys = "SELECT '[\"' || i || '\"]' FROM unnest(ids) i";
        String lockAndRead = !shape.equals(LOCK_READ_ROW_AND_VERSION) ? "" : """
                PERFORM 1 FROM items WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
                PERFORM state FROM concord.row_versions WHERE table_name = 'public.items' AND row_key IN (%s);
                """.formatted(keys);
        String version = shape.equals(ROW) ? "" : """
                UPDATE concord.row_versions SET state = decode(repeat(md5(hlc::text), %d), 'hex'), hlc = hlc + 1,
                       vector = jsonb_build_object('a', hlc + 1), lsn = '0/2'::pg_lsn, seq = 0
                 WHERE table_name = 'public.items' AND row_key IN (%s);
                """.formatted(STATE_BYTES / 16, keys);
        return """
                DO $$ DECLARE ids bigint[]; BEGIN
                  PERFORM setseed(0.42);
                  FOR t IN 1..%d LOOP
                    ids := ARRAY(SELECT DISTINCT 1 + floor(random() * %d)::bigint FROM generate_series(1, 1000));
                    %s
                    UPDATE items SET k = k + 1, v = md5(t::text), updated_at = clock_timestamp() WHERE id = ANY(ids);
                    %s
                    COMMIT;
                  END LOOP;
                END $$""".formatted(updateTransactions(), settings.updatedRows(), lockAndRead, version);
    }

    /** Scenario 3's updates in transactions of 1,000 draws (the few drawn twice in one are updated once). */
    private int updateTransactions() {
        return Math.max(1, settings.updates() / 1_000);
    }
}
