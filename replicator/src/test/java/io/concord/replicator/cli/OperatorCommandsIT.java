package io.concord.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.event.DeadLetter;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.testing.TopicRecords;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code concord status | conflicts | dlq} as an operator runs them, against two real DCs whose replicators run:
 * conflicts made on purpose are listed, shown, resolved and dismissed, and the decisions reach the other DC; a
 * row the other DC refuses becomes a dead letter that is retried (failing, then succeeding once fixed) and
 * discarded.
 */
class OperatorCommandsIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLES = """
              - name: orders
                resolver: record
              - name: items
            """;
    private static final List<DcRuntime> runtimes = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        for (String dc : List.of("a", "b")) {
            sql(dc, "CREATE TABLE orders (id int8 PRIMARY KEY, status text, qty int4)");
            sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text)");
            String yaml = TestConfigs.yaml(cluster, dc, List.of(dc.equals("a") ? "b" : "a"), TABLES, null);
            TestConfigs.write(config(dc), yaml);
            ConcordConfig config = TestConfigs.parse(yaml);
            try (Connection connection = cluster.postgres(dc).connect()) {
                new Installer(config).install(connection, false);
            }
            runtimes.add(DcRuntime.start(config));
        }
        sql("b", "ALTER TABLE items ADD CONSTRAINT no_bad_names CHECK (name <> 'bad')");
        for (DcRuntime runtime : runtimes) {
            await().atMost(WAIT).until(() -> runtime.capture().isActive() && runtime.apply().isRunning());
        }
    }

    @AfterAll
    static void stop() {
        runtimes.forEach(DcRuntime::close);
    }

    @Test
    void aConflictIsListedShownAndResolvedWithTheLocalRowAndTheDecisionReachesTheOtherDc() throws Exception {
        updateConcurrently(1);
        String id = awaitConflictInBoth(1);

        CliRun list = concord("conflicts", "list", "-c", config("b").toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("ID", "TABLE", id, "public.orders", "{\"id\": \"1\"}", "update_update", "open");
        JsonNode listed = JSON.readTree(concord("conflicts", "list", "-c", config("b").toString(), "--json").out());
        assertThat(listed.findValuesAsText("id")).contains(id);

        CliRun show = concord("conflicts", "show", "-c", config("b").toString(), id.substring(0, 8));
        assertThat(show.exit()).as(show.toString()).isZero();
        JsonNode conflict = JSON.readTree(show.out());
        assertThat(conflict.get("id").asText()).isEqualTo(id);
        assertThat(conflict.get("local_row").get("status").asText()).isEqualTo("from b");
        assertThat(conflict.get("remote_row").get("status").asText()).isEqualTo("from a");

        CliRun resolve = concord("conflicts", "resolve", "-c", config("b").toString(), id, "--keep", "local",
                "--by", "alice", "--note", "b had it right");
        assertThat(resolve.exit()).as(resolve.toString()).isZero();
        assertThat(resolve.out()).contains("resolved conflict " + id, "updated the row");

        for (String dc : List.of("a", "b")) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(query(dc, "SELECT status || '/' || resolved_by || '/'"
                    + " || note FROM concord.conflicts WHERE id = '" + id + "'")).isEqualTo("resolved/alice@b/b had it right"));
            assertThat(query(dc, "SELECT status FROM orders WHERE id = 1")).as("the row kept, in %s", dc)
                    .isEqualTo("from b");
        }
        assertThat(query("a", "SELECT count(*) FROM concord.conflicts WHERE primary_key->>'id' = '1'"))
                .as("the resolution dominates both sides: no new conflict").isEqualTo("1");

        CliRun again = concord("conflicts", "resolve", "-c", config("a").toString(), id, "--keep", "remote");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already resolved", "alice@b");
    }

    @Test
    void aConflictResolvedWithATypedRowOrDismissedIsSoInBothDcsAndBadRowsAreRefusedByName() throws Exception {
        updateConcurrently(2);
        String id = awaitConflictInBoth(2);

        CliRun unknownColumn = concord("conflicts", "resolve", "-c", config("a").toString(), id, "--row",
                "{\"colour\": \"red\"}");
        assertThat(unknownColumn.exit()).isEqualTo(2);
        assertThat(unknownColumn.err()).contains("has no column colour", "id, status, qty");
        CliRun keyChange = concord("conflicts", "resolve", "-c", config("a").toString(), id, "--row",
                "{\"id\": 9, \"status\": \"x\"}");
        assertThat(keyChange.err()).contains("--row sets key column id to '9'");
        CliRun badKeep = concord("conflicts", "resolve", "-c", config("a").toString(), id, "--keep", "mine");
        assertThat(badKeep.exit()).isEqualTo(2);
        assertThat(badKeep.err()).contains("--keep must be local or remote");

        CliRun resolve = concord("conflicts", "resolve", "-c", config("a").toString(), id, "--row",
                "{\"status\": \"agreed\", \"qty\": 42}");
        assertThat(resolve.exit()).as(resolve.toString()).isZero();
        for (String dc : List.of("a", "b")) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(query(dc, "SELECT status || ':' || qty FROM orders"
                    + " WHERE id = 2")).isEqualTo("agreed:42"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(query(dc, "SELECT status FROM concord.conflicts"
                    + " WHERE id = '" + id + "'")).isEqualTo("resolved"));
        }

        updateConcurrently(3);
        String dismissed = awaitConflictInBoth(3);
        CliRun dismiss = concord("conflicts", "dismiss", "-c", config("a").toString(), dismissed, "--by", "bob");
        assertThat(dismiss.exit()).as(dismiss.toString()).isZero();
        for (String dc : List.of("a", "b")) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(query(dc, "SELECT status || '/' || resolved_by FROM"
                    + " concord.conflicts WHERE id = '" + dismissed + "'")).isEqualTo("dismissed/bob@a"));
        }
        CliRun open = concord("conflicts", "list", "-c", config("a").toString(), "--status", "dismissed",
                "--table", "orders", "--since", "1h");
        assertThat(open.out()).contains(dismissed).doesNotContain(id);
        CliRun badStatus = concord("conflicts", "list", "-c", config("a").toString(), "--status", "closed");
        assertThat(badStatus.exit()).isEqualTo(2);
        assertThat(badStatus.err()).contains("--status must be open, resolved, dismissed or all, not 'closed'");
        CliRun missing = concord("conflicts", "show", "-c", config("a").toString(), "ffffffff");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no conflict ffffffff");
    }

    @Test
    void aRowTheOtherDcRefusesIsADeadLetterThatFailsAgainUntilFixedThenRetriesAndAnotherIsDiscarded()
            throws Exception {
        sql("a", "INSERT INTO items VALUES (1, 'bad')");
        await().atMost(WAIT).until(() -> query("b", "SELECT count(*) FROM concord.dead_letters WHERE table_name ="
                + " 'public.items'").equals("1"));
        String id = query("b", "SELECT id FROM concord.dead_letters WHERE table_name = 'public.items'");

        String offset = query("b", "SELECT source_offset FROM concord.dead_letters WHERE id = " + id);
        DeadLetter published = (DeadLetter) new EventCodec().decode(TopicRecords.read(cluster.kafka()
                .bootstrapServers(), "concord.dlq.b", records -> !records.isEmpty(), WAIT).get(0).value());
        assertThat(published.getSourceOffset()).as("on the DLQ topic too").isEqualTo(Long.parseLong(offset));
        assertThat(published.getReason()).contains("check_violation");

        CliRun list = concord("dlq", "list", "-c", config("b").toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("CONSTRAINT", "concord.changes.a:0@", "public.items", "check_violation",
                "1 dead letter new");
        CliRun show = concord("dlq", "show", "-c", config("b").toString(), id);
        assertThat(JSON.readTree(show.out()).get("reason").asText()).contains("no_bad_names", "\"name\":\"bad\"");

        CliRun stillBroken = concord("dlq", "retry", "-c", config("b").toString(), id);
        assertThat(stillBroken.exit()).as(stillBroken.toString()).isEqualTo(1);
        assertThat(stillBroken.out()).contains(id + ": failed again: check_violation");

        sql("b", "ALTER TABLE items DROP CONSTRAINT no_bad_names");
        CliRun retried = concord("dlq", "retry", "-c", config("b").toString(), "--all");
        assertThat(retried.exit()).as(retried.toString()).isZero();
        assertThat(retried.out()).contains(id + ": retried");
        assertThat(query("b", "SELECT name FROM items WHERE id = 1")).isEqualTo("bad");
        assertThat(query("b", "SELECT status FROM concord.dead_letters WHERE id = " + id)).isEqualTo("retried");

        sql("b", "ALTER TABLE items ADD CONSTRAINT no_worse_names CHECK (name <> 'worse')");
        sql("a", "INSERT INTO items VALUES (2, 'worse')");
        await().atMost(WAIT).until(() -> query("b", "SELECT count(*) FROM concord.dead_letters WHERE status = 'new'")
                .equals("1"));
        String second = query("b", "SELECT id FROM concord.dead_letters WHERE status = 'new'");
        CliRun discard = concord("dlq", "discard", "-c", config("b").toString(), second);
        assertThat(discard.exit()).as(discard.toString()).isZero();
        assertThat(query("b", "SELECT status FROM concord.dead_letters WHERE id = " + second)).isEqualTo("discarded");
        CliRun retryDiscarded = concord("dlq", "retry", "-c", config("b").toString(), second);
        assertThat(retryDiscarded.exit()).isEqualTo(2);
        assertThat(retryDiscarded.err()).contains("dead letter " + second + " is discarded; only a new one can be retried");
        sql("a", "INSERT INTO items VALUES (3, 'fine')");
        await().atMost(WAIT).until(() -> "fine".equals(query("b", "SELECT name FROM items WHERE id = 3")));
    }

    @Test
    void statusShowsCaptureAndEachPeerAsATableAndAsJson() throws Exception {
        sql("a", "INSERT INTO items VALUES (100, 'for status')");
        await().atMost(WAIT).until(() -> "for status".equals(query("b", "SELECT name FROM items WHERE id = 100")));

        CliRun status = concord("status", "-c", config("b").toString());
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).contains("DC b", "slot concord_b streaming", "PEER", "concord.changes.a", "offset ",
                "conflicts open:", "dead letters:");

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode json = JSON.readTree(concord("status", "-c", config("b").toString(), "--json").out());
            assertThat(json.get("dc").asText()).isEqualTo("b");
            assertThat(json.at("/capture/slotActive").asBoolean()).isTrue();
            assertThat(json.at("/peers/0/peer").asText()).isEqualTo("a");
            // Caught up: at most the commit marker of a's last heartbeat transaction lies beyond the position.
            assertThat(json.at("/peers/0/behind").asLong(-1)).as("all of a's events applied").isBetween(0L, 1L);
            assertThat(json.at("/peers/0/lastHeartbeatAt").isTextual()).isTrue();
        });
    }

    /** Row {@code id} inserted in a, then updated in a and in b in two transactions open at the same time. */
    private static void updateConcurrently(long id) throws Exception {
        sql("a", "INSERT INTO orders VALUES (" + id + ", 'new', 1)");
        await().atMost(WAIT).until(() -> "new".equals(query("b", "SELECT status FROM orders WHERE id = " + id)));
        try (Connection a = cluster.postgres("a").connect(); Statement inA = a.createStatement();
                Connection b = cluster.postgres("b").connect(); Statement inB = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            inA.execute("UPDATE orders SET status = 'from a', qty = 2 WHERE id = " + id);
            inB.execute("UPDATE orders SET status = 'from b', qty = 3 WHERE id = " + id);
            a.commit();
            b.commit();
        }
    }

    /** The id of the one conflict on order {@code id}, once both DCs recorded it. */
    private static String awaitConflictInBoth(long id) throws Exception {
        String sql = "SELECT id FROM concord.conflicts WHERE primary_key->>'id' = '" + id + "'";
        await().atMost(WAIT).until(() -> query("a", sql) != null && query("b", sql) != null);
        assertThat(query("a", sql)).as("the same id in both DCs").isEqualTo(query("b", sql));
        return query("a", sql);
    }

    private static CliRun concord(String... args) {
        return CliRun.concord(Map.of(), List.of(), args);
    }

    private static Path config(String dc) {
        return dir.resolve(dc + ".yaml");
    }

    private static void sql(String dc, String sql) throws Exception {
        new DcSql(cluster).sql(dc, sql);
    }

    private static String query(String dc, String sql) throws Exception {
        return new DcSql(cluster).query(dc, sql);
    }
}
