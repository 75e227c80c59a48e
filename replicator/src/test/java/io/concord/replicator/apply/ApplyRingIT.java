package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three DCs in a ring (a consumes c, b consumes a, c consumes b), each forwarding what it applied: a write
 * made anywhere goes round and reaches every DC, and stops when it comes back to its origin.
 */
class ApplyRingIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b", "c");

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> UPSTREAM = Map.of("a", "c", "b", "a", "c", "b");
    private static final List<String> DCS = List.of("a", "b", "c");
    private static final List<DcRuntime> runtimes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (String dc : DCS) {
            sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text, qty int4)");
            List<String> peers = DCS.stream().filter(p -> !p.equals(dc)).toList();
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, peers, "  - name: items\n",
                    "topology:\n  type: ring\n  upstream: " + UPSTREAM.get(dc) + "\n"));
            assertThat(config.sources()).containsExactly(UPSTREAM.get(dc));
            assertThat(config.forwardsAppliedChanges()).isTrue();
            runtimes.add(DcRuntimes.installAndStart(cluster, config));
        }
        DcRuntimes.awaitRunning(runtimes);
    }

    @AfterAll
    static void stop() {
        runtimes.forEach(DcRuntime::close);
    }

    @Test
    void writesInEveryDcGoRoundTheRingAndConverge() throws Exception {
        sql("a", "INSERT INTO items VALUES (1, 'a', 1), (2, 'a', 2)");
        sql("b", "INSERT INTO items VALUES (11, 'b', 11), (12, 'b', 12)");
        sql("c", "INSERT INTO items VALUES (21, 'c', 21)");
        sql("c", "UPDATE items SET qty = 22 WHERE id = 21");
        await().atMost(WAIT).until(() -> "5".equals(query("c", "SELECT count(*) FROM items"))
                && "5".equals(query("a", "SELECT count(*) FROM items"))
                && "5".equals(query("b", "SELECT count(*) FROM items")));
        sql("a", "UPDATE items SET name = 'b, then a' WHERE id = 11");
        sql("b", "DELETE FROM items WHERE id = 1");

        String expected = "2:a:2 11:b, then a:11 12:b:12 21:c:22";
        for (String dc : DCS) {
            await().atMost(WAIT).until(() -> expected.equals(query(dc,
                    "SELECT string_agg(id || ':' || name || ':' || qty, ' ' ORDER BY id) FROM items")));
        }
        String checksum = "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM items t";
        assertThat(query("b", checksum)).isEqualTo(query("a", checksum)).isEqualTo(query("c", checksum));
        for (DcRuntime runtime : runtimes) {
            assertThat(runtime.apply().metrics().loopsDropped()).as("own writes come back round, dropped")
                    .isPositive();
        }
    }

    private static void sql(String dc, String sql) throws Exception {
        new DcSql(cluster).sql(dc, sql);
    }

    private static String query(String dc, String sql) throws Exception {
        return new DcSql(cluster).query(dc, sql);
    }
}
