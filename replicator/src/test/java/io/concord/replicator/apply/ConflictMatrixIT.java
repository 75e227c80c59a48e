package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every built-in resolver against every conflict type on two real DCs: both end with the same row (or the same
 * absence), and it is the one the resolver promises.
 *
 * <p>Each table gets the same history. Rows 2 to 4 start as {@code base} everywhere; then one transaction in a
 * and one in b write rows 1 to 4 and stay open until both have written, so neither DC has seen the other's
 * write: insert/insert (1), update/update (2), update in a / delete in b (3), delete in a / update in b (4).
 * a commits first, so b's writes carry the later {@code (hlc, dc)}.
 */
class ConflictMatrixIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> DCS = List.of("a", "b");
    private static final String TABLES = """
              - name: lww_rows
              - name: priority_rows
                resolver: {name: priority, order: [a, b]}
              - name: merge_rows
                resolver: {name: merge, columns: {qty: counter, name: lww}}
              - name: record_rows
                resolver: record
            """;
    private static final String ROW = "id || ':' || coalesce(name, '-') || ':' || coalesce(note, '-') || ':' || qty";
    private static final DcSql db = new DcSql(cluster);
    private static final List<DcRuntime> runtimes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (String dc : DCS) {
            for (String table : List.of("lww_rows", "priority_rows", "merge_rows", "record_rows")) {
                db.sql(dc, "CREATE TABLE " + table + " (id int8 PRIMARY KEY, name text, note text, qty int4)");
            }
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, List.of(other(dc)), TABLES, null));
            runtimes.add(DcRuntimes.installAndStart(cluster, config)); // merge gets REPLICA IDENTITY FULL
        }
        DcRuntimes.awaitRunning(runtimes);
    }

    @AfterAll
    static void stop() {
        runtimes.forEach(DcRuntime::close);
    }

    @Test
    void lwwKeepsTheLaterWriteOfEveryConflict() throws Exception {
        writeConcurrently("lww_rows");

        assertConverged("lww_rows", "1:b-insert:-:20 2:base:from b:107 4:base:from b:100");
    }

    @Test
    void priorityKeepsTheVersionOfAEvenThoughBWroteLaterAndUpdateDeleteFollowsLww() throws Exception {
        writeConcurrently("priority_rows");

        // 3 and 4: update/delete goes by the update-delete option, lww by default, so b's later write wins there.
        assertConverged("priority_rows", "1:a-insert:-:10 2:from a:base:105 4:base:from b:100");
    }

    @Test
    void mergeSumsBothCounterDeltasAndKeepsDisjointColumnChanges() throws Exception {
        writeConcurrently("merge_rows");

        // 2: name changed only in a, note only in b, qty +5 in a and +7 in b (from 100).
        // 1: two inserts; b's is the later for name (lww) and for qty (an insert sets the counter's base).
        assertConverged("merge_rows", "1:b-insert:-:20 2:from a:from b:112 4:base:from b:100");
    }

    @Test
    void recordAppliesTheLwwWinnerAndRecordsEachConflictOnceUnderTheSameIdInBothDcs() throws Exception {
        writeConcurrently("record_rows");

        assertConverged("record_rows", "1:b-insert:-:20 2:base:from b:107 4:base:from b:100");
        String conflicts = "SELECT string_agg(primary_key->>'id' || '=' || id, ' ' ORDER BY (primary_key->>'id')::int8, id)"
                + " FROM concord.conflicts WHERE table_name = 'public.record_rows'";
        await().atMost(WAIT).until(() -> count(db.query("a", conflicts)) >= 4 && count(db.query("b", conflicts)) >= 4);
        assertThat(db.query("a", conflicts)).as("the same conflicts, by id, in both DCs")
                .isEqualTo(db.query("b", conflicts));
        assertThat(keys(db.query("a", conflicts))).as("one conflict per key: %s", db.query("a", conflicts))
                .containsExactly("1", "2", "3", "4");
        assertThat(db.query("a", "SELECT string_agg(DISTINCT resolver || '/' || status, ' ') FROM concord.conflicts"
                + " WHERE table_name = 'public.record_rows'")).isEqualTo("record/open");
    }

    /** Seeds rows 2 to 4, then writes rows 1 to 4 in a and in b in two transactions open at the same time. */
    private static void writeConcurrently(String table) throws Exception {
        db.sql("a", "INSERT INTO " + table + " VALUES (2, 'base', 'base', 100), (3, 'base', 'base', 100),"
                + " (4, 'base', 'base', 100)");
        awaitConverged(table, 3);
        try (Connection a = cluster.postgres("a").connect(); Statement inA = a.createStatement();
                Connection b = cluster.postgres("b").connect(); Statement inB = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            inA.execute("INSERT INTO " + table + " VALUES (1, 'a-insert', NULL, 10)");
            inA.execute("UPDATE " + table + " SET name = 'from a', qty = qty + 5 WHERE id = 2");
            inA.execute("UPDATE " + table + " SET name = 'from a' WHERE id = 3");
            inA.execute("DELETE FROM " + table + " WHERE id = 4");
            inB.execute("INSERT INTO " + table + " VALUES (1, 'b-insert', NULL, 20)");
            inB.execute("UPDATE " + table + " SET note = 'from b', qty = qty + 7 WHERE id = 2");
            inB.execute("DELETE FROM " + table + " WHERE id = 3");
            inB.execute("UPDATE " + table + " SET note = 'from b' WHERE id = 4");
            // Both wrote before either committed, so neither DC can have seen the other's write (an applier that
            // gets there first waits on the open transaction's row locks).
            a.commit();
            b.commit();
        }
    }

    /** Waits until both DCs hold the same rows, then checks they read {@code expected} (row 3 must be gone). */
    private static void assertConverged(String table, String expected) throws Exception {
        awaitConverged(table, 3);
        assertThat(db.query("a", "SELECT string_agg(" + ROW + ", ' ' ORDER BY id) FROM " + table)).isEqualTo(expected);
    }

    private static void awaitConverged(String table, int rows) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(db.query("a", "SELECT count(*) FROM " + table)).isEqualTo(String.valueOf(rows));
            assertThat(db.query("b", "SELECT count(*) FROM " + table)).isEqualTo(String.valueOf(rows));
            assertThat(db.checksum("a", table, "true")).isEqualTo(db.checksum("b", table, "true"));
        });
    }

    private static int count(String conflicts) {
        return conflicts == null ? 0 : conflicts.split(" ").length;
    }

    private static List<String> keys(String conflicts) {
        return List.of(conflicts.split(" ")).stream().map(c -> c.substring(0, c.indexOf('='))).toList();
    }

    private static String other(String dc) {
        return dc.equals("a") ? "b" : "a";
    }
}
