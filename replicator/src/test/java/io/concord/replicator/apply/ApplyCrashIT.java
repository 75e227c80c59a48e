package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.ConcordProcess;
import io.concord.replicator.testing.TestConfigs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DC a's {@code concord run} as a separate process, killed with SIGKILL while its applier holds a batch's
 * transaction open: no source transaction of b may ever be visible in a in part — before, during the outage,
 * or after — and once a is restarted both DCs converge.
 */
class ApplyCrashIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path LOGS = Path.of(System.getProperty("java.io.tmpdir"), "apply-crash-it");
    private static final int GROUPS = 300;
    private static final int ROWS_PER_GROUP = 50;
    private static final int TOTAL_ROWS = GROUPS * ROWS_PER_GROUP;
    private static final int MAX_KILLS = 3;
    private static final String TABLES = "  - name: items\n";

    /**
     * Every group visible in a that is not as its source transactions left it, or null. Group g is written by
     * one transaction of b (50 inserts, then an update of the same 50 rows); that transaction also increments
     * {@code n} of every row of group g - 10 when g is a multiple of 3 — so if group g is visible, that
     * earlier group must show the increment too, on all its rows.
     */
    private static final String BROKEN_GROUPS = """
            WITH g AS (SELECT grp, count(*) AS rows, count(DISTINCT n) AS ns, min(n) AS n,
                              bool_and(note = 'whole') AS whole
                       FROM items GROUP BY grp)
            SELECT string_agg(grp || ': ' || rows || ' rows, ' || ns || ' values of n, whole ' || whole, '; ')
            FROM g
            WHERE rows <> %d OR ns <> 1 OR NOT whole
               OR (grp > 10 AND grp %% 3 = 0 AND NOT EXISTS (SELECT 1 FROM g AS e WHERE e.grp = g.grp - 10 AND e.n = 1))
            """.formatted(ROWS_PER_GROUP);

    /**
     * An apply transaction of a that has written rows: it holds an xid, and its statement now (or its last one, idle
     * in the transaction) is an INSERT — the rows' or, after them, the versions', conflicts' or dead letters'. The
     * lock, the wait for capture and the reads before the write hold the xid too, but a kill there rolls back no
     * row; batches are short since apply starts one whenever its worker is free, so the test waits for this.
     */
    private static final String OPEN_APPLY_TRANSACTION = "SELECT pid FROM pg_stat_activity"
            + " WHERE application_name = 'concord-apply-a' AND backend_xid IS NOT NULL AND query LIKE 'INSERT INTO %'";
    private static final String APPLY_BACKENDS = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE application_name = 'concord-apply-a'";
    private static final String PROGRESS = "SELECT next_offset FROM concord.apply_progress"
            + " WHERE topic = 'concord.changes.b'";

    private static Path configOfA;
    private static DcRuntime runtimeOfB;

    @BeforeAll
    static void setUp() throws Exception {
        for (String dc : List.of("a", "b")) {
            sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, grp int4 NOT NULL, n int4 NOT NULL, note text)");
        }
        configOfA = TestConfigs.write(LOGS.resolve("concord-a.yaml"), TestConfigs.yaml(cluster, "a", List.of("b"),
                TABLES, null));
        ConcordConfig configOfB = TestConfigs.parse(TestConfigs.yaml(cluster, "b", List.of("a"), TABLES, null));
        runtimeOfB = DcRuntimes.installAndStart(cluster, configOfB);
        await().atMost(WAIT).until(() -> runtimeOfB.capture().isActive());
    }

    @AfterAll
    static void tearDown() {
        if (runtimeOfB != null) {
            runtimeOfB.close();
        }
    }

    @Test
    void killedMidBatchItNeverShowsPartOfASourceTransactionAndConvergesAfterRestart() throws Exception {
        Watcher watcher = new Watcher();
        watcher.start();
        Thread writer = writer();
        List<ConcordProcess> processes = new ArrayList<>();
        try {
            // A kill can fall between two batches, or before a batch wrote a row; then a is started and killed
            // again, each time while catching up, until a kill cuts a batch short (the first or second does).
            boolean cutShort = false;
            Long progressAtFirstKill = null;
            for (int kill = 1; !cutShort && kill <= MAX_KILLS; kill++) {
                ConcordProcess process = run("kill-" + kill);
                processes.add(process);
                cutShort = killWhileApplying(process);
                if (progressAtFirstKill == null) {
                    progressAtFirstKill = Long.parseLong(query("a", PROGRESS));
                }
            }
            assertThat(cutShort).as("a kill fell inside a batch's transaction, after it wrote rows").isTrue();
            writer.join(WAIT.toMillis());
            assertThat(writer.isAlive()).as("the writer on b finished").isFalse();

            long restartedAt = System.nanoTime();
            ConcordProcess restarted = run("after-kill");
            processes.add(restarted);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(restarted.isAlive()).as("a's last process is alive; logs in %s", LOGS).isTrue();
                assertThat(query("a", "SELECT count(*) FROM items")).isEqualTo(String.valueOf(TOTAL_ROWS));
                assertThat(checksum("a")).isEqualTo(checksum("b"));
            });
            System.out.printf("a caught up %d ms after its restart%n", (System.nanoTime() - restartedAt) / 1_000_000);

            assertThat(query("a", BROKEN_GROUPS)).isNull();
            assertThat(Long.parseLong(query("a", PROGRESS))).as("apply_progress moved on")
                    .isGreaterThan(progressAtFirstKill);
            assertThat(query("a", "SELECT count(*) FROM concord.conflicts")).as("only b wrote: no conflict").isEqualTo("0");
            assertThat(query("a", "SELECT count(*) FROM concord.dead_letters")).isEqualTo("0");
            restarted.stop();
            assertThat(restarted.log()).as("a's last process stopped cleanly").contains("apply of DC a stopped");
        } finally {
            watcher.finish();
            writer.join(WAIT.toMillis());
            for (ConcordProcess process : processes) {
                process.close();
            }
        }
        assertThat(watcher.broken.get()).as("a partial source transaction was visible in a").isNull();
        assertThat(watcher.checks.get()).as("checks made while a applied, died and caught up").isGreaterThan(20);
        System.out.printf("%d checks of a's groups during the run, none partial%n", watcher.checks.get());
    }

    /**
     * Kills a's process once its applier has a transaction that has written rows (a batch under way) and has
     * committed a batch of its own (so it is catching up), waits until PostgreSQL has ended that transaction,
     * and checks a while it is down.
     *
     * @return whether the kill cut a batch short: rows it had inserted were rolled back (PostgreSQL counts
     *     inserted tuples of aborted transactions too; nothing else writes a's rows or rolls them back here)
     */
    private static boolean killWhileApplying(ConcordProcess process) throws Exception {
        long rolledBackBefore = rolledBackInserts();
        long rowsBefore = Long.parseLong(query("a", "SELECT count(*) FROM items"));
        await().atMost(WAIT).until(() -> process.log().contains("capture of DC a is active"));
        String applying = OPEN_APPLY_TRANSACTION + " AND (SELECT count(*) FROM items) > " + rowsBefore;
        await().atMost(WAIT).pollInterval(Duration.ofMillis(2)).until(() -> query("a", applying) != null);
        process.kill();

        // PostgreSQL notices the dead client and rolls its transaction back; a stays whole meanwhile.
        await().atMost(WAIT).until(() -> query("a", APPLY_BACKENDS).equals("0"));
        String rowsAfter = query("a", "SELECT count(*) FROM items");
        String progress = query("a", PROGRESS);
        boolean cutShort = false;
        for (int i = 0; i < 40; i++) {
            assertThat(query("a", BROKEN_GROUPS)).as("groups visible in a while it is down").isNull();
            cutShort |= rolledBackInserts() > rolledBackBefore; // the exiting backend's counts may come late
            Thread.sleep(50);
        }
        assertThat(query("a", "SELECT count(*) FROM items")).as("nothing applied while a is down").isEqualTo(rowsAfter);
        assertThat(query("a", PROGRESS)).as("progress stays with the committed rows").isEqualTo(progress);
        System.out.printf("killed a with %s of %d rows applied; %d inserted rows rolled back by the kill%n",
                rowsAfter, TOTAL_ROWS, rolledBackInserts() - rolledBackBefore);
        return cutShort;
    }

    /** Rows inserted into a's items and rolled back since the start (a's rows are inserted, never deleted). */
    private static long rolledBackInserts() throws Exception {
        return Long.parseLong(query("a", "SELECT n_tup_ins - (SELECT count(*) FROM items)"
                + " FROM pg_stat_user_tables WHERE relname = 'items'"));
    }

    /**
     * Writes the groups on b: one transaction per group, and in every third one an update of an earlier
     * group (see {@link #BROKEN_GROUPS}).
     */
    private static Thread writer() {
        Thread thread = new Thread(() -> {
            try (Connection connection = cluster.postgres("b").connect(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                for (int g = 1; g <= GROUPS; g++) {
                    statement.execute("INSERT INTO items SELECT " + g + " * 1000 + i, " + g + ", 0, 'new'"
                            + " FROM generate_series(1, " + ROWS_PER_GROUP + ") i");
                    statement.execute("UPDATE items SET note = 'whole' WHERE grp = " + g);
                    if (g > 10 && g % 3 == 0) {
                        statement.execute("UPDATE items SET n = n + 1 WHERE grp = " + (g - 10));
                    }
                    connection.commit();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer-b");
        thread.start();
        return thread;
    }

    /** Checks a's groups from its own connection, over and over, until told to finish; keeps the first breach. */
    private static final class Watcher extends Thread {

        final AtomicReference<String> broken = new AtomicReference<>();
        final AtomicInteger checks = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);

        Watcher() {
            super("watcher-a");
        }

        @Override
        public void run() {
            try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
                while (running.get()) {
                    try (ResultSet rs = statement.executeQuery(BROKEN_GROUPS)) {
                        rs.next();
                        if (rs.getString(1) != null) {
                            broken.compareAndSet(null, rs.getString(1));
                        }
                    }
                    checks.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                broken.compareAndSet(null, "the watcher failed: " + e);
            }
        }

        void finish() throws InterruptedException {
            running.set(false);
            join(10_000);
        }
    }

    private static ConcordProcess run(String name) throws Exception {
        return ConcordProcess.start(LOGS.resolve(name + ".log"), 512, "run", "--config", configOfA.toString());
    }

    private static String checksum(String dc) throws Exception {
        return query(dc, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM items t");
    }

    private static void sql(String dc, String sql) throws Exception {
        new DcSql(cluster).sql(dc, sql);
    }

    private static String query(String dc, String sql) throws Exception {
        return new DcSql(cluster).query(dc, sql);
    }
}
