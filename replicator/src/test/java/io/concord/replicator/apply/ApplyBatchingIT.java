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

    /** Far longer than the waits below: a test that needs the timer to fire fails. */
    private static final String SLOW_TIMER = "apply:\n  max-batch-delay: 60s\n  batch-size: 100\n";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration TRY = Duration.ofSeconds(5);
    private static final int BACKLOG = 2_000;
    private static final Map<String, ConcordConfig> configs = new HashMap<>();
    private static final Map<String, DcRuntime> runtimes = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (String dc : List.of("a", "b")) {
            db.sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text)");
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, List.of(dc.equals("a") ? "b" : "a"),
                    "  - name: items\n", SLOW_TIMER));
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

    /**
     * A record is at the head when it is fetched within 50 ms of its publication; a loaded machine can miss that
     * now and then (the row then waits for a later flush), so each try inserts a row of its own. Without the rule
     * no row arrives before the 60 s timer.
     */
    @Test
    @Order(1)
    void aTransactionAtTheHeadIsAppliedWithoutWaitingForTheBatchTimer() throws Exception {
        boolean arrived = false;
        for (int id = 1; id <= 5 && !arrived; id++) {
            db.sql("a", "INSERT INTO items VALUES (" + id + ", 'alone')");
            String query = "SELECT count(*) FROM items WHERE id = " + id;
            long deadline = System.nanoTime() + TRY.toNanos();
            while (!arrived && System.nanoTime() < deadline) {
                arrived = "1".equals(db.query("b", query));
                Thread.sleep(20);
            }
        }
        assertThat(arrived).as("one of five single-row transactions reached b within %s of its commit", TRY).isTrue();
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
}
