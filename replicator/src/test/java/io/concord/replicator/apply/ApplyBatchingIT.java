package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How apply cuts batches, with a batch timer far longer than any wait here: a transaction at the head of the
 * peer's topic is applied at once, not when the timer fires; a backlog goes in batches of many transactions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyBatchingIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");
    private static final DcSql db = new DcSql(cluster);

    /** Small batches, no delay (the default): a batch starts when the worker is free. */
    private static final String SMALL_BATCHES = "apply:\n  batch-size: 100\n";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TRY = Duration.ofSeconds(5);
    /** Not a multiple of the batch size: the last batch is a partial one, started by the timer once the worker is free. */
    private static final int BACKLOG = 2_050;
    private static final Map<String, ConcordConfig> configs = new HashMap<>();
    private static final Map<String, DcRuntime> runtimes = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (String dc : List.of("a", "b")) {
            db.sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text)");
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, List.of(dc.equals("a") ? "b" : "a"),
                    "  - name: items\n", SMALL_BATCHES));
            configs.put(dc, config);
            DcRuntimes.install(cluster, config);
            runtimes.put(dc, DcRuntime.start(config));
        }
        DcRuntimes.awaitRunning(runtimes.values());
    }

    @AfterAll
    static void stop() {
        runtimes.values().forEach(DcRuntime::close);
    }

    /** A lone transaction does not wait for a batch to fill: the worker is free, so it starts at once. */
    @Test
    @Order(1)
    void aLoneTransactionIsAppliedAtOnce() throws Exception {
        db.sql("a", "INSERT INTO items VALUES (1, 'alone')");
        long deadline = System.nanoTime() + TRY.toNanos();
        boolean arrived = false;
        while (!arrived && System.nanoTime() < deadline) {
            arrived = "1".equals(db.query("b", "SELECT count(*) FROM items WHERE id = 1"));
            Thread.sleep(20);
        }
        assertThat(arrived).as("a single-row transaction reached b within %s of its commit", TRY).isTrue();
    }

    @Test
    @Order(2)
    void aBacklogIsAppliedInBatchesOfManyTransactions() throws Exception {
        runtimes.remove("b").close();
        db.sql("a", "DO $$ BEGIN FOR i IN 1000.." + (1000 + BACKLOG - 1) + " LOOP"
                + " INSERT INTO items VALUES (i, 'backlog'); COMMIT; END LOOP; END $$");
        DcRuntime b = DcRuntime.start(configs.get("b"));
        runtimes.put("b", b);

        await().atMost(WAIT).until(() -> Integer.parseInt(db.query("b",
                "SELECT count(*) FROM items WHERE name = 'backlog'")) == BACKLOG);
        assertThat(b.apply().metrics().applied()).as("the backlog, and rows of the first test still buffered")
                .isGreaterThanOrEqualTo(BACKLOG);
        assertThat(b.apply().metrics().batches()).as("batches for %d single-row transactions", BACKLOG)
                .isLessThan(BACKLOG / 10);
    }

    /**
     * With batches of 2,000 rows, each is cut into two parts of 1,000 (apply.sessions is 2 by default), applied by two
     * sessions side by side: every row arrives, no part had to be applied again by the first session, the second
     * session's replication origin moved, and b's capture published none of it as b's own writes.
     */
    @Test
    @Order(3)
    void aBacklogInLargeBatchesIsAppliedInPartsBySeveralSessions() throws Exception {
        runtimes.remove("b").close();
        String originBefore = db.query("b", SESSION_1_ORIGIN);
        db.sql("a", "DO $$ BEGIN FOR i IN 10000..13999 LOOP"
                + " INSERT INTO items VALUES (i, 'parts'); COMMIT; END LOOP; END $$");
        ConcordConfig large = TestConfigs.parse(TestConfigs.yaml(cluster, "b", List.of("a"), "  - name: items\n",
                "apply:\n  batch-size: 2000\n"));
        DcRuntime b = DcRuntime.start(large);
        runtimes.put("b", b);

        await().atMost(WAIT).until(() -> Integer.parseInt(db.query("b",
                "SELECT count(*) FROM items WHERE name = 'parts'")) == 4_000);
        assertThat(b.apply().metrics().partsReapplied()).as("later parts the first session had to apply").isZero();
        assertThat(db.query("b", SESSION_1_ORIGIN)).as("the position of origin concord_a#1 (before: %s)", originBefore)
                .isNotEqualTo(originBefore).isNotEqualTo("0/0");
        assertThat(db.query("b", "SELECT count(*) FROM concord.row_versions WHERE table_name = 'public.items'"
                + " AND (row_key::jsonb ->> 0)::int8 BETWEEN 10000 AND 13999 AND dc = 'a'"))
                .as("versions stored for the rows, as a's writes").isEqualTo("4000");
        Thread.sleep(1_000); // what b's capture would publish of it, were the second session's writes not marked
        assertThat(b.capture().metrics().captured()).as("b's own writes that b's capture published").isZero();
    }

    /**
     * A backlog of updates to 500 hot rows: every cut of a batch falls between two changes of some row. The parts
     * are still applied side by side (the second session's origin moves), each later part settling the rows it shares
     * with the part before it once that part committed: b ends as a is, and no change was taken for a conflict.
     */
    @Test
    @Order(4)
    void aBacklogOfUpdatesToHotRowsIsStillAppliedInParts() throws Exception {
        db.sql("a", "INSERT INTO items SELECT g, 'hot' FROM generate_series(20000, 20499) g");
        await().atMost(WAIT).until(() -> "500".equals(db.query("b",
                "SELECT count(*) FROM items WHERE id BETWEEN 20000 AND 20499")));
        runtimes.remove("b").close();
        String originBefore = db.query("b", SESSION_1_ORIGIN);
        db.sql("a", "DO $$ BEGIN PERFORM setseed(0.25); FOR i IN 1..4000 LOOP"
                + " UPDATE items SET name = 'update ' || i WHERE id = 20000 + floor(random() * 500)::int;"
                + " COMMIT; END LOOP; END $$");
        ConcordConfig large = TestConfigs.parse(TestConfigs.yaml(cluster, "b", List.of("a"), "  - name: items\n",
                "apply:\n  batch-size: 2000\n"));
        DcRuntime b = DcRuntime.start(large);
        runtimes.put("b", b);

        String hot = "id BETWEEN 20000 AND 20499";
        await().atMost(WAIT).until(() -> db.checksum("b", "items", hot).equals(db.checksum("a", "items", hot)));
        assertThat(db.query("b", SESSION_1_ORIGIN)).as("the position of origin concord_a#1 (before: %s)", originBefore)
                .isNotEqualTo(originBefore);
        assertThat(b.apply().metrics().partsReapplied()).as("later parts the first session had to apply").isZero();
        assertThat(b.apply().metrics().conflicts()).as("changes of one source taken for conflicts").isZero();
    }

    private static final String SESSION_1_ORIGIN = "SELECT coalesce((SELECT remote_lsn::text FROM pg_replication_origin_status"
            + " WHERE external_id = 'concord_a#1'), 'none')";
}
