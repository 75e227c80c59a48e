package io.concord.replicator.bench;

import io.concord.replicator.store.ConcordSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.util.OptionalLong;

/**
 * What PostgreSQL alone spends on {@code b} writing scenario 2's rows, set-based from inside the server: no client,
 * no protocol, no decoding, one backend, each 1,000-row transaction committed ({@code synchronous_commit = off}, as
 * both systems' appliers commit). Two shapes, each on a fresh database:
 * <ul>
 *   <li>{@code row} — the rows only: the least any apply must write;</li>
 *   <li>{@code row+version} — each row and its version in {@code concord.row_versions} (a state of
 *       {@value #STATE_BYTES} bytes, about a bench row's): the least Concord's design writes, since a version per
 *       row is what conflict detection compares (ARCHITECTURE.md).</li>
 * </ul>
 * Neither is a replication system; they put Concord's and native's CPU per row beside what the server's own work
 * costs, measured in the same run on the same server.
 */
final class SqlFloor {

    static final String ROW = "row";
    static final String ROW_AND_VERSION = "row+version";
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

    private void measure(String shape, ScenarioResult result) throws Exception {
        Db target = cluster.createDatabase(cluster.target(), cluster.nextRunId());
        try {
            if (shape.equals(ROW_AND_VERSION)) {
                try (Connection connection = target.connect()) {
                    ConcordSchema.apply(connection);
                }
            }
            OptionalLong cpuBefore;
            OptionalLong cpuAfter;
            long nanos;
            // Sampled while the session lives: an ended backend's CPU shows only once the postmaster reaped it.
            try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
                // As both systems' appliers commit (and native's subscription by default).
                statement.execute("SET synchronous_commit = off");
                cpuBefore = CpuMeter.serverNanos(target);
                long started = System.nanoTime();
                statement.execute(block(shape));
                nanos = System.nanoTime() - started;
                cpuAfter = CpuMeter.serverNanos(target);
            }
            long rows = (long) settings.batchTransactions() * settings.rowsPerBatchTransaction();
            result.add("postgres alone: write rate", "rows/s", true, shape, rows / (nanos / 1e9));
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                double micros = (cpuAfter.getAsLong() - cpuBefore.getAsLong()) / 1e3 / rows;
                result.add("postgres alone: cpu per row", "µs", false, shape, micros);
                progress.log("backlog-batch %s: postgres alone %,.0f rows/s, %.1f µs of CPU a row", shape,
                        rows / (nanos / 1e9), micros);
            }
        } finally {
            cluster.dropDatabase(target);
        }
    }

    /** The DO block: scenario 2's rows, and for {@code row+version} their versions in the same transactions. */
    private String block(String shape) {
        String versions = shape.equals(ROW) ? "" : """
                INSERT INTO concord.row_versions (table_name, row_key, state, vector, hlc, dc, deleted, lsn, seq)
                  SELECT 'public.items', '["' || g || '"]', decode(repeat(md5(g::text), %d), 'hex'),
                         ('{"a": ' || g || '}')::jsonb, g, 'a', false, '0/1'::pg_lsn, 0
                    FROM {ids};""".formatted(STATE_BYTES / 16);
        return BacklogLoader.insertBlock(settings.batchTransactions(), settings.rowsPerBatchTransaction(), versions);
    }
}
