package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.concord.event.ChangeEvent;
import io.concord.replicator.capture.CaptureService;
import io.concord.replicator.capture.Lsn;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.store.CopyRows;
import io.concord.replicator.store.RowKey;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.types.PgTextCodec;
import io.concord.resolver.ResolverRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two DCs, each with capture running, feeding each other's events to their {@link BatchApplier}s (standing
 * in for the apply topology): convergence, conflicts, causality, idempotency, loops, dead letters.
 */
class BatchApplierIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final String TABLES = """
              - name: items
              - name: notes
                resolver: record
              - name: people
              - name: wide
              - name: gone
                resolver: {name: lww, update-delete: delete-wins}
              - name: keyed
                key: [code]
              - name: keyed_later
                key: [code]
              - name: awkward
              - name: ruled
            """;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final Map<String, ConcordConfig> configs = new java.util.HashMap<>();
    private static final Map<String, CaptureService> captures = new java.util.HashMap<>();
    private static final List<Thread> threads = new ArrayList<>();
    private static final Map<String, BatchApplier> appliers = new java.util.HashMap<>();
    private static final Map<String, PeerFeed> feeds = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        createTopics();
        for (String dc : List.of("a", "b")) {
            String extra = dc.equals("b") ? ", extra text" : ""; // a lacks a column b has
            sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text, qty int4);"
                    + "CREATE TABLE notes (id int4 PRIMARY KEY, body text);"
                    + "CREATE TABLE people (id int4 PRIMARY KEY, email text UNIQUE, name text);"
                    + "CREATE TABLE wide (id int4 PRIMARY KEY, v text" + extra + ");"
                    + "CREATE TABLE gone (id int4 PRIMARY KEY, v text NOT NULL);"
                    + "CREATE TABLE keyed (id int4, code text NOT NULL, v text);"
                    + "CREATE UNIQUE INDEX keyed_code ON keyed (code);"
                    + "CREATE TABLE keyed_later (code text NOT NULL, v text);"
                    + "CREATE UNIQUE INDEX keyed_later_code ON keyed_later (code);"
                    + "CREATE TABLE awkward (id int4 PRIMARY KEY, t text, b bytea, j jsonb, arr text[], n numeric,"
                    + " at timestamptz, flag bool);"
                    + "CREATE TABLE ruled (id int4 PRIMARY KEY, v text);"
                    + "CREATE TABLE ruled_log (id int4);"
                    + "CREATE RULE logged AS ON INSERT TO ruled DO ALSO INSERT INTO ruled_log VALUES (NEW.id)");
            String peer = dc.equals("a") ? "b" : "a";
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, List.of(peer), TABLES, null));
            configs.put(dc, config);
            try (Connection connection = cluster.postgres(dc).connect()) {
                new Installer(config).install(connection, true);
            }
            CaptureService capture = new CaptureService(config);
            Thread thread = new Thread(capture, "capture-" + dc);
            thread.start();
            captures.put(dc, capture);
            threads.add(thread);
        }
        for (String dc : List.of("a", "b")) {
            CaptureService capture = captures.get(dc);
            await().atMost(WAIT).until(() -> capture.isActive() || capture.failure() != null);
            assertThat(capture.failure()).isNull();
            ConcordConfig config = configs.get(dc);
            String peer = dc.equals("a") ? "b" : "a";
            ApplyTables tables;
            try (Connection connection = cluster.postgres(dc).connect()) {
                tables = ApplyTables.load(config, ResolverRegistry.load(), connection);
            }
            appliers.put(dc, new BatchApplier(config, peer, tables, () -> cluster.postgres(dc).connect(),
                    Duration.ofSeconds(30)));
            feeds.put(dc, new PeerFeed(cluster.kafka().bootstrapServers(), config.topics().changes(dc)));
        }
    }

    /**
     * Creates the changes topics and waits until they can be described: capture describes its topic right
     * after creating it, which a fresh broker may answer with UnknownTopicOrPartition (reported).
     */
    private static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafka().bootstrapServers()))) {
            List<String> topics = List.of("concord.changes.a", "concord.changes.b");
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
            await().atMost(WAIT).ignoreExceptions().until(() -> admin.describeTopics(topics).allTopicNames().get()
                    .size() == 2);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        appliers.values().forEach(BatchApplier::close);
        feeds.values().forEach(PeerFeed::close);
        captures.values().forEach(CaptureService::stop);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    @Test
    void nonConflictingInsertsUpdatesAndDeletesOnBothSidesConverge() throws Exception {
        sql("a", "INSERT INTO items VALUES (1, 'a1', 1), (2, 'a2', 2), (3, 'a3', 3)");
        sql("b", "INSERT INTO items VALUES (10, 'b10', 10), (11, 'b11', 11)");
        assertThat(deliver("a", "b", 3).applied()).isEqualTo(3);
        assertThat(deliver("b", "a", 2).applied()).isEqualTo(2);

        sql("a", "UPDATE items SET qty = 100 WHERE id = 1");
        sql("a", "DELETE FROM items WHERE id = 2");
        sql("b", "UPDATE items SET name = 'b10x' WHERE id = 10");
        sql("b", "DELETE FROM items WHERE id = 11");
        sql("b", "UPDATE items SET name = 'a3 changed in b' WHERE id = 3");
        deliver("a", "b", 2);
        BatchApplier.Outcome fromB = deliver("b", "a", 3);

        assertThat(fromB.conflicts()).isZero();
        assertThat(query("a", "SELECT string_agg(id || ':' || name || ':' || qty, ' ' ORDER BY id) FROM items WHERE id < 20"))
                .isEqualTo("1:a1:100 3:a3 changed in b:3 10:b10x:10");
        assertConverged("items", "id < 20");
    }

    @Test
    void concurrentUpdatesOfOneRowConvergeToTheSameRowWithLww() throws Exception {
        sql("a", "INSERT INTO items VALUES (20, 'base', 0)");
        deliver("a", "b", 1);
        sql("a", "UPDATE items SET name = 'from a', qty = 1 WHERE id = 20");
        sql("b", "UPDATE items SET name = 'from b' WHERE id = 20");
        deliver("a", "b", 1);
        deliver("b", "a", 1);

        assertThat(query("a", "SELECT name || ':' || qty FROM items WHERE id = 20")).as("b wrote last")
                .isEqualTo("from b:0");
        assertConverged("items", "id = 20");
        assertThat(query("a", "SELECT count(*) FROM concord.conflicts WHERE table_name = 'public.items'"))
                .as("lww does not record").isEqualTo("0");
    }

    @Test
    void aRecordedConflictHasTheSameIdInBothDcsAndReplayingItChangesNothing() throws Exception {
        sql("a", "INSERT INTO notes VALUES (1, 'base')");
        deliver("a", "b", 1);
        sql("a", "UPDATE notes SET body = 'from a' WHERE id = 1");
        sql("b", "UPDATE notes SET body = 'from b' WHERE id = 1");
        List<BatchApplier.RemoteEvent> fromA = feeds.get("a").next(1, WAIT);
        List<BatchApplier.RemoteEvent> fromB = feeds.get("b").next(1, WAIT);
        assertThat(apply("b", fromA).conflicts()).isEqualTo(1);
        assertThat(apply("a", fromB).conflicts()).isEqualTo(1);

        String conflict = "SELECT id || ' ' || conflict_type || ' ' || resolution || ' ' || local_origin || '/'"
                + " || remote_origin || ' ' || (applied_row->>'body') FROM concord.conflicts"
                + " WHERE table_name = 'public.notes' AND primary_key->>'id' = '1'";
        String atA = query("a", conflict);
        String atB = query("b", conflict);
        assertThat(atA).contains("update_update").endsWith("from b");
        assertThat(atA.split(" ")[0]).as("same id in both DCs").isEqualTo(atB.split(" ")[0]);
        assertThat(query("a", "SELECT detected_in FROM concord.conflicts WHERE table_name = 'public.notes'"))
                .isEqualTo("a");
        assertConverged("notes", "id = 1");

        String before = checksum("a", "notes", "true") + count("a");
        BatchApplier.Outcome replay = apply("a", fromB);
        assertThat(replay.applied()).isZero();
        assertThat(replay.rowsWritten()).isZero();
        assertThat(checksum("a", "notes", "true") + count("a")).isEqualTo(before);
    }

    @Test
    void anUpdateMadeAfterApplyingTheInsertIsNoConflict() throws Exception {
        sql("a", "INSERT INTO notes VALUES (2, 'first')");
        deliver("a", "b", 1);
        sql("b", "UPDATE notes SET body = 'second' WHERE id = 2");
        BatchApplier.Outcome outcome = deliver("b", "a", 1);

        assertThat(outcome.applied()).isEqualTo(1);
        assertThat(outcome.conflicts()).isZero();
        for (String dc : List.of("a", "b")) {
            assertThat(query(dc, "SELECT count(*) FROM concord.conflicts WHERE primary_key->>'id' = '2'"
                    + " AND table_name = 'public.notes'")).isEqualTo("0");
        }
        assertThat(query("a", "SELECT body FROM notes WHERE id = 2")).isEqualTo("second");
        assertConverged("notes", "id = 2");
    }

    @Test
    void aTableKeyedByAConfiguredKeyTakesInsertsUpdatesAndDeletesBothWays() throws Exception {
        sql("b", "INSERT INTO keyed VALUES (1, 'k1', 'one'), (2, 'k2', 'two')");
        assertThat(deliver("b", "a", 2).applied()).isEqualTo(2);
        sql("b", "UPDATE keyed SET v = 'one, changed' WHERE code = 'k1'");
        sql("b", "DELETE FROM keyed WHERE code = 'k2'");
        assertThat(deliver("b", "a", 2).applied()).isEqualTo(2);
        sql("a", "UPDATE keyed SET id = 10 WHERE code = 'k1'");
        assertThat(deliver("a", "b", 1).applied()).isEqualTo(1);

        assertThat(query("b", "SELECT string_agg(id || ':' || code || ':' || v, ' ' ORDER BY id) FROM keyed"))
                .isEqualTo("10:k1:one, changed");
        assertThat(checksum("a", "keyed", "true")).isEqualTo(checksum("b", "keyed", "true"));
        awaitCaptured("a");
        awaitCaptured("b");
        assertThat(versions("a", "keyed", "true")).isEqualTo(versions("b", "keyed", "true"));
    }

    @Test
    void aTableWhoseKeyLostItsUniqueIndexAfterInstallIsNotAppliedAndSaysWhy() throws Exception {
        sql("a", "DROP INDEX keyed_later_code");
        ApplyTables tables;
        try (Connection connection = cluster.postgres("a").connect()) {
            tables = ApplyTables.load(configs.get("a"), ResolverRegistry.load(), connection);
        }
        assertThat(tables.get("public.keyed_later")).isEmpty();
        assertThat(tables.whyMissing("public.keyed_later")).isEqualTo("table public.keyed_later has no unique index"
                + " of its key [code] here (that is not deferrable), and apply writes rows with ON CONFLICT on it");
        assertThat(tables.get("public.keyed")).isPresent();
    }

    @Test
    void applyingTheSameBatchTwiceChangesNothing() throws Exception {
        sql("b", "INSERT INTO items VALUES (30, 'x', 1), (31, 'y', 2)");
        sql("b", "UPDATE items SET qty = 3 WHERE id = 30");
        sql("b", "DELETE FROM items WHERE id = 31");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(4, WAIT);
        assertThat(apply("a", batch).applied()).isEqualTo(4);
        awaitCaptured("a");
        String before = checksum("a", "items", "true") + count("a") + versions("a", "items", "true");

        BatchApplier.Outcome again = apply("a", batch);
        assertThat(again.applied()).isZero();
        assertThat(again.skipped()).isEqualTo(4);
        assertThat(again.rowsWritten()).isZero();
        awaitCaptured("a");
        assertThat(checksum("a", "items", "true") + count("a") + versions("a", "items", "true")).isEqualTo(before);
        assertConverged("items", "id BETWEEN 30 AND 31");
    }

    @Test
    void appliedRowsAreNotPublishedAsLocalAndALaterLocalUpdateDominatesBoth() throws Exception {
        sql("b", "INSERT INTO items VALUES (40, 'from b', 1)");
        List<BatchApplier.RemoteEvent> fromB = feeds.get("b").next(1, WAIT);
        apply("a", fromB);
        sql("a", "UPDATE items SET qty = 2 WHERE id = 40");

        List<BatchApplier.RemoteEvent> fromA = feeds.get("a").next(1, WAIT);
        List<ChangeEvent> row40 = fromA.stream().map(BatchApplier.RemoteEvent::event)
                .filter(e -> key(e).equals("40")).toList();
        assertThat(row40).as("the applied insert is not published by a; its local update is").hasSize(1);
        ChangeEvent update = row40.get(0);
        assertThat(update.getOp()).isEqualTo(io.concord.event.Operation.UPDATE);
        assertThat(update.getVersion().getVector()).isEqualTo(Map.of("a", 1L, "b", 1L));
        assertThat(update.getVersion().getHlc()).isGreaterThan(fromB.get(0).event().getVersion().getHlc());
        apply("b", fromA);
        assertConverged("items", "id = 40");
    }

    @Test
    void aRowCollidingOnASecondaryUniqueKeyBecomesADeadLetterAndTheRestIsApplied() throws Exception {
        sql("a", "INSERT INTO people VALUES (4, 'y@example.com', 'dan')");
        sql("b", "INSERT INTO people VALUES (2, 'y@example.com', 'bob'), (3, 'z@example.com', 'cy')");
        BatchApplier.Outcome outcome = deliver("b", "a", 2);

        assertThat(outcome.deadLetters()).isEqualTo(1);
        assertThat(query("a", "SELECT string_agg(id || ':' || name, ' ' ORDER BY id) FROM people")).isEqualTo("3:cy 4:dan");
        String letter = query("a", "SELECT error_class || ' ' || reason FROM concord.dead_letters"
                + " WHERE table_name = 'public.people'");
        assertThat(letter).startsWith("CONSTRAINT unique_violation").contains("\"bob\"").contains("dan");
        String conflict = "SELECT conflict_type || ' key ' || (primary_key->>'id') || ' local ' || (local_row->>'name')"
                + " || ' remote ' || (remote_row->>'name') || ' ' || resolution || ' ' || status || ' from '"
                + " || remote_origin FROM concord.conflicts WHERE table_name = 'public.people'";
        assertThat(query("a", conflict)).as("a conflict of its own, with both rows")
                .isEqualTo("unique_violation key 2 local dan remote bob local_kept open from b");
        assertThat(query("a", "SELECT note FROM concord.conflicts WHERE conflict_type = 'unique_violation'"))
                .contains("people_email_key", "dead letter");
        deliver("a", "b", 1); // and the same the other way round
        assertThat(query("b", "SELECT count(*) FROM concord.dead_letters WHERE table_name = 'public.people'"))
                .isEqualTo("1");
        assertThat(query("b", conflict)).isEqualTo("unique_violation key 4 local bob remote dan local_kept open from a");
        String id = "SELECT id FROM concord.conflicts WHERE conflict_type = 'unique_violation'";
        assertThat(query("b", id)).as("the same conflict, the same id in both DCs").isEqualTo(query("a", id));
    }

    @Test
    void anEventForAColumnThatDoesNotExistHereBecomesADeadLetterNamingIt() throws Exception {
        sql("b", "INSERT INTO wide VALUES (1, 'v', 'only in b')");
        BatchApplier.Outcome outcome = deliver("b", "a", 1);
        assertThat(outcome.deadLetters()).isEqualTo(1);
        assertThat(query("a", "SELECT error_class || ' ' || reason FROM concord.dead_letters"
                + " WHERE table_name = 'public.wide'")).startsWith("SCHEMA column extra of table public.wide");
        assertThat(query("a", "SELECT count(*) FROM wide")).isEqualTo("0");
    }

    @Test
    void aLocalInsertRacingTheInsertOfAMissingRowIsComparedNotOverwritten() throws Exception {
        sql("b", "INSERT INTO notes VALUES (10, 'from b')");
        List<BatchApplier.RemoteEvent> fromB = feeds.get("b").next(1, WAIT);
        BatchApplier.Outcome outcome;
        try (Connection local = cluster.postgres("a").connect(); Statement statement = local.createStatement()) {
            local.setAutoCommit(false);
            statement.execute("INSERT INTO notes VALUES (10, 'from a')");
            // Apply finds no row to lock, decides to insert, and waits on the uncommitted local key.
            CompletableFuture<BatchApplier.Outcome> applying = CompletableFuture.supplyAsync(() -> {
                try {
                    return apply("a", fromB);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            await().atMost(WAIT).until(() -> applying.isDone() || Integer.parseInt(query("a",
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) > 0);
            assertThat(applying).isNotDone();
            local.commit();
            outcome = applying.get(60, TimeUnit.SECONDS);
        }

        assertThat(outcome.attempts()).as("the insert found the local row and went round again").isGreaterThan(1);
        assertThat(outcome.conflicts()).isEqualTo(1);
        assertThat(query("a", "SELECT conflict_type || ' ' || (local_row->>'body') || ' / ' || (remote_row->>'body')"
                + " FROM concord.conflicts WHERE table_name = 'public.notes' AND primary_key->>'id' = '10'"))
                .isEqualTo("insert_insert from a / from b");
        deliver("a", "b", 1);
        assertThat(query("b", "SELECT id FROM concord.conflicts WHERE table_name = 'public.notes'"
                + " AND primary_key->>'id' = '10'")).isEqualTo(query("a", "SELECT id FROM concord.conflicts"
                + " WHERE table_name = 'public.notes' AND primary_key->>'id' = '10'"));
        assertConverged("notes", "id = 10");
    }

    /**
     * A batch that only inserts keys this DC never had goes without locking or reading anything: the guess is checked
     * by the writes, and the rows and their states are as the ordinary way leaves them.
     */
    @Test
    void aBatchOfNewKeysIsAppliedAsFreshKeysInOneAttempt() throws Exception {
        sql("b", "INSERT INTO items VALUES (900, 'b900', 1), (901, 'b901', 2), (902, 'b902', 3)");
        // An applier of its own in these tests: no pause left by another test's miss decides whether it guesses.
        try (BatchApplier applier = secondSession("a")) {
            List<BatchApplier.RemoteEvent> events = feeds.get("b").next(3, WAIT);
            BatchApplier.Outcome outcome = applier.apply(feeds.get("b").topic, 0, events);
            assertThat(outcome.applied()).isEqualTo(3);
            assertThat(outcome.attempts()).isEqualTo(1);
            assertThat(outcome.freshKeys()).isEqualTo(BatchApplier.FreshKeyGuess.HELD);
            // Set up with the progress, after the writes, the origin still records where the source committed.
            assertThat(query("a", "SELECT remote_lsn::text FROM pg_replication_origin_status WHERE external_id = '"
                    + Installer.originName("b", 1) + "'")).isEqualTo(
                    Lsn.of(events.get(2).event().getSource().getCommitLsn()).toString());
        }
        assertThat(query("a", "SELECT string_agg(row_key || ' ' || dc || ' ' || vector::text, ', ' ORDER BY row_key)"
                + " FROM concord.row_versions WHERE table_name = 'public.items' AND row_key IN ('[\"900\"]',"
                + " '[\"901\"]', '[\"902\"]')"))
                .isEqualTo("[\"900\"] b {\"b\": 1}, [\"901\"] b {\"b\": 1}, [\"902\"] b {\"b\": 1}");
        assertConverged("items", "id BETWEEN 900 AND 902");
    }

    /**
     * New rows go in with COPY's text format, where a tab, a newline and a backslash mean something: values holding
     * them, the text {@code \N} (COPY's NULL, escaped), NULLs, empty strings, bytes, JSON and arrays with escapes
     * arrive exactly as written, and their update (the locked way) too.
     */
    @Test
    void valuesCopyEscapesArriveExactly() throws Exception {
        // chr(9) tab, chr(10) newline, chr(13) carriage return, chr(92) backslash.
        sql("b", """
                INSERT INTO awkward VALUES
                  (1, 'tab' || chr(9) || 'here' || chr(10) || 'new line' || chr(13) || chr(92) || 'back' || chr(92),
                   '\\x00095c0a0d4e', '{"q": "a\\"b\\\\c\\td"}', ARRAY['a' || chr(92) || 'b', 'c,d', NULL, '', chr(9)],
                   1.500, '2026-11-28 01:02:03.456789+00', true),
                  (2, chr(92) || 'N', '', '[]', '{}', NULL, NULL, false),
                  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                  (4, '', '\\x', '"ü€"', ARRAY['ü€😀'], -0.0, 'infinity', NULL),
                  (5, 'ü€😀 then' || chr(9) || chr(92) || 'N', '\\xff', 'null', ARRAY[chr(92) || 'N'], 'NaN',
                   '-infinity', true)""");
        // Enough rows for a copy (CopyRows.FEWEST_ROWS) in the same batch.
        sql("b", "INSERT INTO awkward (id, t)"
                + " SELECT i, 'row ' || i || chr(9) || chr(92) FROM generate_series(100, 599) i");
        int rowCount = 505;
        try (BatchApplier applier = secondSession("a")) {
            BatchApplier.Outcome outcome = applier.apply(feeds.get("b").topic, 0,
                    feeds.get("b").next(rowCount, WAIT));
            assertThat(outcome.applied()).isEqualTo(rowCount);
            // One attempt: a value COPY misread would fail the copy, and the batch would go again row by row.
            assertThat(outcome.attempts()).isEqualTo(1);
            assertThat(outcome.freshKeys()).isEqualTo(BatchApplier.FreshKeyGuess.HELD);
        }
        String rows = "SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s', id, t, b, j, arr, n, at, flag), ' / '"
                + " ORDER BY id) FROM awkward";
        assertThat(query("a", "SELECT t FROM awkward WHERE id = 1")).isEqualTo("tab\there\nnew line\r\\back\\");
        assertThat(query("a", "SELECT t FROM awkward WHERE id = 2")).isEqualTo("\\N");
        assertThat(query("a", "SELECT t IS NULL AND b IS NULL AND arr IS NULL FROM awkward WHERE id = 3"))
                .isEqualTo("t");
        assertThat(query("a", rows)).isEqualTo(query("b", rows));

        sql("b", "UPDATE awkward SET t = t || chr(9) || chr(92), b = b || '\\x09'::bytea WHERE id IN (1, 2)");
        assertThat(deliver("b", "a", 2).applied()).isEqualTo(2);
        assertThat(query("a", "SELECT t FROM awkward WHERE id = 2")).isEqualTo("\\N\t\\");
        assertThat(query("a", rows)).isEqualTo(query("b", rows));
        assertConverged("awkward", "true");
    }

    /** A table with rules takes its new rows by INSERT, however many: a copy would not fire its rules. */
    @Test
    void rowsOfATableWithRulesAreInsertedSoItsRulesFire() throws Exception {
        int rows = CopyRows.FEWEST_ROWS + 10;
        sql("b", "INSERT INTO ruled SELECT i, 'v' || i FROM generate_series(1, " + rows + ") i");
        assertThat(query("b", "SELECT count(*) FROM ruled_log")).isEqualTo(String.valueOf(rows));
        sql("a", "DELETE FROM ruled_log"); // the table is not replicated: each DC's rule writes its own

        assertThat(deliver("b", "a", rows).applied()).isEqualTo(rows);

        assertThat(query("a", "SELECT count(*) FROM ruled_log")).isEqualTo(String.valueOf(rows));
        assertConverged("ruled", "true");
    }

    /**
     * An insert of a key whose row was deleted here finds the tombstone when it stores its state: the guess fails,
     * nothing of that attempt stays, and the ordinary way compares the insert with the delete (concurrent: the later
     * write wins under last-write-wins, here the insert).
     */
    @Test
    void anInsertOfAKeyDeletedHereIsNotFreshAndIsComparedWithTheTombstone() throws Exception {
        sql("a", "INSERT INTO items VALUES (910, 'a, deleted after', 1)");
        sql("a", "DELETE FROM items WHERE id = 910");
        awaitCaptured("a");
        sql("b", "INSERT INTO items VALUES (910, 'b, later', 2)");
        BatchApplier.Outcome outcome;
        try (BatchApplier applier = secondSession("a")) {
            outcome = applier.apply(feeds.get("b").topic, 0, feeds.get("b").next(1, WAIT));
        }
        assertThat(outcome.attempts()).as("the fresh attempt, then the ordinary one").isEqualTo(2);
        assertThat(outcome.freshKeys()).isEqualTo(BatchApplier.FreshKeyGuess.MISSED);
        assertThat(outcome.applied()).isEqualTo(1);
        assertThat(query("a", "SELECT name FROM items WHERE id = 910")).isEqualTo("b, later");
        assertThat(query("a", "SELECT dc || ' ' || deleted FROM concord.row_versions WHERE table_name = 'public.items'"
                + " AND row_key = '[\"910\"]'")).isEqualTo("b false");
        deliver("a", "b", 2); // a's insert and delete, both concurrent with b's later insert: b keeps its row
        assertConverged("items", "id = 910");
    }

    /**
     * A row of the key inserted here while the fresh attempt runs (after the point where the ordinary way locks) fails
     * that attempt's insert; the ordinary way then locks the row and compares.
     */
    @Test
    void aLocalInsertAfterTheFreshAttemptBeganSendsTheBatchTheOrdinaryWay() throws Exception {
        sql("b", "INSERT INTO notes VALUES (920, 'from b')");
        List<BatchApplier.RemoteEvent> fromB = feeds.get("b").next(1, WAIT);
        BatchApplier.Outcome outcome;
        try (BatchApplier applier = secondSession("a")) {
            applier.afterLock = once(() -> sql("a", "INSERT INTO notes VALUES (920, 'from a, meanwhile')"));
            outcome = applier.apply(feeds.get("b").topic, 0, fromB);
        }
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.freshKeys()).isEqualTo(BatchApplier.FreshKeyGuess.MISSED);
        assertThat(outcome.conflicts()).as("recorded: notes resolve with record").isEqualTo(1);
        assertThat(query("a", "SELECT conflict_type FROM concord.conflicts WHERE table_name = 'public.notes'"
                + " AND primary_key->>'id' = '920'")).isEqualTo("insert_insert");
        deliver("a", "b", 1);
        assertConverged("notes", "id = 920");
    }

    @Test
    void aLocalInsertCommittedBetweenTheLockAndTheWaitForCaptureIsLockedAndComparedSoTheWinningDeleteRemovesIt()
            throws Exception {
        List<BatchApplier.RemoteEvent> fromB = insertAndDeleteInB(70);
        BatchApplier applier = appliers.get("a");
        applier.afterLock = once(() -> sql("a", "INSERT INTO gone VALUES (70, 'local, after the lock')"));
        BatchApplier.Outcome outcome;
        try {
            outcome = apply("a", fromB);
        } finally {
            applier.afterLock = () -> { };
        }

        assertThat(outcome.attempts()).as("the row appeared after the lock: round again, locking it").isGreaterThan(1);
        assertThat(query("a", "SELECT count(*) FROM gone WHERE id = 70")).as("b's delete wins (delete-wins)")
                .isEqualTo("0");
        await().atMost(WAIT).untilAsserted(() -> assertThat(query("a", "SELECT deleted FROM concord.row_versions"
                + " WHERE table_name = 'public.gone' AND row_key = '[\"70\"]'")).as("recorded by capture")
                .isEqualTo("t"));
        deliver("a", "b", 1); // a's insert, concurrent with b's delete: b keeps the row deleted too
        assertConverged("gone", "id = 70");
    }

    @Test
    void aLocalInsertCommittedAfterTheWaitForCaptureOfAKeyTheBatchLeavesDeletedSendsTheBatchRoundAgain()
            throws Exception {
        List<BatchApplier.RemoteEvent> fromB = insertAndDeleteInB(71);
        BatchApplier applier = appliers.get("a");
        applier.afterCaptureWait = once(() -> sql("a", "INSERT INTO gone VALUES (71, 'local, after the wait')"));
        BatchApplier.Outcome outcome;
        try {
            outcome = apply("a", fromB);
        } finally {
            applier.afterCaptureWait = () -> { };
        }

        assertThat(outcome.attempts()).as("the row was read again before the commit").isGreaterThan(1);
        assertThat(query("a", "SELECT count(*) FROM gone WHERE id = 71")).isEqualTo("0");
        await().atMost(WAIT).untilAsserted(() -> assertThat(query("a", "SELECT deleted FROM concord.row_versions"
                + " WHERE table_name = 'public.gone' AND row_key = '[\"71\"]'")).as("recorded by capture")
                .isEqualTo("t"));
        deliver("a", "b", 1); // a's insert, concurrent with b's delete: b keeps the row deleted too
        assertConverged("gone", "id = 71");
    }

    /**
     * The ordinary way's counterpart: a batch that updates a row and inserts a key absent here, and a local insert and
     * delete of that key committing between the wait for capture and the batch's insert. Nothing is left to lock or to
     * fail on, so the batch inserts; the second wait then finds the local write's state and sends the batch round
     * again, which decides with it. (Before the second wait, where apply stored its version before capture stored the
     * local one, the applied row stayed and capture versioned the local delete after it.)
     */
    @Test
    void aLocalInsertAndDeleteAfterTheWaitOfAKeyTheOrdinaryWayInsertsSendsTheBatchRoundAgain() throws Exception {
        sql("b", "INSERT INTO items VALUES (941, 'b, existing', 1)");
        deliver("b", "a", 1);
        try (Connection b = cluster.postgres("b").connect(); Statement statement = b.createStatement()) {
            b.setAutoCommit(false);
            statement.execute("UPDATE items SET qty = 2 WHERE id = 941");
            statement.execute("INSERT INTO items VALUES (940, 'from b', 1)");
            b.commit();
        }
        List<BatchApplier.RemoteEvent> fromB = feeds.get("b").next(2, WAIT);
        BatchApplier applier = appliers.get("a");
        // Capture of a is held (its progress row locked) for a while after the local write: without the second wait,
        // apply stores its version first, the order that went wrong; with it, apply waits for capture.
        Connection holdCapture = cluster.postgres("a").connect();
        holdCapture.setAutoCommit(false);
        ExecutorService release = Executors.newSingleThreadExecutor();
        applier.afterCaptureWait = once(() -> {
            try (Statement statement = holdCapture.createStatement()) {
                statement.execute("SELECT 1 FROM concord.capture_progress FOR UPDATE");
            }
            try (Connection a = cluster.postgres("a").connect(); Statement statement = a.createStatement()) {
                a.setAutoCommit(false);
                statement.execute("INSERT INTO items VALUES (940, 'from a, meanwhile', 1)");
                statement.execute("DELETE FROM items WHERE id = 940");
                a.commit();
            }
            release.submit(() -> {
                Thread.sleep(1_500);
                holdCapture.rollback();
                return null;
            });
        });
        BatchApplier.Outcome outcome;
        try {
            outcome = apply("a", fromB);
        } finally {
            applier.afterCaptureWait = () -> { };
            release.shutdown();
            release.awaitTermination(10, TimeUnit.SECONDS);
            holdCapture.close();
        }

        assertThat(outcome.freshKeys()).isNotEqualTo(BatchApplier.FreshKeyGuess.HELD);
        assertThat(outcome.attempts()).as("the second wait found the local write: round again").isGreaterThan(1);
        awaitCaptured("a");
        assertThat(query("a", "SELECT (SELECT count(*) FROM items WHERE id = 940) || ' ' || (SELECT deleted"
                + " FROM concord.row_versions WHERE table_name = 'public.items' AND row_key = '[\"940\"]')"))
                .as("the row and its version agree").isIn("0 true", "1 false");
        deliver("a", "b", 2); // a's insert and delete, concurrent with b's insert
        assertConverged("items", "id IN (940, 941)");
    }

    /**
     * A local insert and delete of a key, in one transaction started once the fresh attempt has waited for capture:
     * the attempt inserted its row before the fence, so the local insert waits for it and then fails, and the row and
     * its state agree. (When the rows went in after the wait, this transaction committed first; where apply then
     * stored its version before capture stored the local one, the applied row stayed and capture versioned the local
     * delete after it: a row here, a tombstone in its state and on the peers.)
     */
    @Test
    void aLocalInsertAndDeleteAfterTheWaitCannotSlipUnderAFreshInsert() throws Exception {
        sql("b", "INSERT INTO notes VALUES (930, 'from b')");
        List<BatchApplier.RemoteEvent> fromB = feeds.get("b").next(1, WAIT);
        ExecutorService local = Executors.newSingleThreadExecutor();
        AtomicReference<Future<String>> insertAndDelete = new AtomicReference<>();
        BatchApplier.Outcome outcome;
        try (BatchApplier applier = secondSession("a")) {
            applier.afterCaptureWait = once(() -> {
                insertAndDelete.set(local.submit(() -> {
                    try (Connection a = cluster.postgres("a").connect(); Statement statement = a.createStatement()) {
                        a.setAutoCommit(false);
                        statement.execute("SET application_name = 'local_insert_and_delete'");
                        statement.execute("INSERT INTO notes VALUES (930, 'from a, meanwhile')");
                        statement.execute("DELETE FROM notes WHERE id = 930");
                        a.commit();
                        return "committed";
                    } catch (SQLException e) {
                        return e.getSQLState();
                    }
                }));
                // Until the local transaction either ended or waits on a lock (the applied row's).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String waitingOn = "SELECT coalesce(max(wait_event_type), '') FROM pg_stat_activity"
                        + " WHERE application_name = 'local_insert_and_delete'";
                while (!insertAndDelete.get().isDone() && !"Lock".equals(query("a", waitingOn))) {
                    assertThat(System.nanoTime()).as("the local transaction neither ended nor waited")
                            .isLessThan(deadline);
                    Thread.sleep(5);
                }
            });
            outcome = applier.apply(feeds.get("b").topic, 0, fromB);
        }
        try {
            assertThat(insertAndDelete.get().get(30, TimeUnit.SECONDS)).as("the local insert, once the batch committed")
                    .isEqualTo("23505");
        } finally {
            local.shutdownNow();
        }
        assertThat(outcome.freshKeys()).isEqualTo(BatchApplier.FreshKeyGuess.HELD);
        awaitCaptured("a");
        assertThat(query("a", "SELECT (SELECT body FROM notes WHERE id = 930) || ' / ' || (SELECT dc || ' ' || deleted"
                + " FROM concord.row_versions WHERE table_name = 'public.notes' AND row_key = '[\"930\"]')"))
                .isEqualTo("from b / b false");
        assertConverged("notes", "id = 930");
    }

    /** Row {@code id} inserted and deleted in one transaction of b: a gets a tombstone for a key it never had. */
    private static List<BatchApplier.RemoteEvent> insertAndDeleteInB(int id) throws Exception {
        try (Connection b = cluster.postgres("b").connect(); Statement statement = b.createStatement()) {
            b.setAutoCommit(false);
            statement.execute("INSERT INTO gone VALUES (" + id + ", 'b')");
            statement.execute("DELETE FROM gone WHERE id = " + id);
            b.commit();
        }
        return feeds.get("b").next(2, WAIT);
    }

    /** A hook that does its work the first time only. */
    private static Runnable once(SqlWork work) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                try {
                    work.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private interface SqlWork {
        void run() throws Exception;
    }

    @Test
    void anUnchangedToastedValueKeepsTheLocalValue() throws Exception {
        sql("b", "INSERT INTO items VALUES (50, (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 500) g), 1)");
        deliver("b", "a", 1);
        sql("b", "UPDATE items SET qty = 2 WHERE id = 50");
        List<BatchApplier.RemoteEvent> update = feeds.get("b").next(1, WAIT);
        assertThat(update.get(0).event().getUnchangedToastColumns()).containsExactly("name");

        apply("a", update);
        assertThat(query("a", "SELECT length(name) || ':' || qty FROM items WHERE id = 50")).isEqualTo("16000:2");
        assertConverged("items", "id = 50");
    }

    @Test
    void withoutCaptureABatchFailsRetryablyAndCommitsNothing() throws Exception {
        sql("a", "SELECT pg_replication_origin_create('concord_c')");
        ConcordConfig a = configs.get("a");
        ConcordConfig noCapture = new ConcordConfig(a.dc(), a.postgres(), a.kafka(), a.topics(), a.topology(), a.peers(),
                a.tables(), new ConcordConfig.Capture("no_such_slot", a.capture().publication(),
                        a.capture().heartbeatInterval(), a.capture().maxBatchEvents(), a.capture().maxBatchDelay()), a.apply(),
                a.http());
        sql("b", "INSERT INTO items VALUES (60, 'while capture is away', 1)");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(1, WAIT);
        ApplyTables tables;
        try (Connection connection = cluster.postgres("a").connect()) {
            tables = ApplyTables.load(noCapture, ResolverRegistry.load(), connection);
        }
        sql("a", "SELECT pg_create_logical_replication_slot('fences_seen', 'test_decoding')");
        try (BatchApplier applier = new BatchApplier(noCapture, "c", tables, () -> cluster.postgres("a").connect(),
                Duration.ofMillis(300))) {
            assertThatThrownBy(() -> applier.apply(feeds.get("b").topic, 0, batch))
                    .isInstanceOfSatisfying(ApplyException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("capture of slot no_such_slot has not reached").hasMessageContaining("is capture running?");
        } finally {
            // A fence left unpassed for 100 ms is written again (a walsender may sleep through the first flush):
            // within the 300 ms wait, the first fence and at least one more.
            String fences = query("a", "SELECT count(*) FROM pg_logical_slot_get_changes('fences_seen', NULL, NULL)"
                    + " WHERE data LIKE 'message: transactional: 0 prefix: concord.apply.fence%'");
            sql("a", "SELECT pg_drop_replication_slot('fences_seen')");
            assertThat(Integer.parseInt(fences)).as("fence messages written while capture was away").isGreaterThan(1);
        }
        assertThat(query("a", "SELECT count(*) FROM items WHERE id = 60")).isEqualTo("0");

        assertThat(apply("a", batch).applied()).as("the same batch, once capture is there").isEqualTo(1);
        assertConverged("items", "id = 60");
    }

    @Test
    void throughputOfTenThousandInserts() throws Exception {
        sql("b", "INSERT INTO items SELECT g, 'bulk ' || g, g FROM generate_series(100000, 109999) g");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(10_000, Duration.ofSeconds(180));
        long start = System.nanoTime();
        BatchApplier.Outcome outcome = apply("a", batch);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("apply throughput: %d rows into PostgreSQL in %.2f s = %.0f rows/s (one batch, %d attempt(s))%n",
                outcome.rowsWritten(), seconds, outcome.rowsWritten() / seconds, outcome.attempts());
        assertThat(query("a", "SELECT count(*) FROM items WHERE id >= 100000")).isEqualTo("10000");
        assertConverged("items", "id >= 100000");
    }

    /**
     * A later part of a batch, applied on a second session while the part before it is not yet applied, holds its
     * commit until that part committed, then moves apply_progress on from where that part left it.
     */
    @Test
    void aLaterPartOnASecondSessionCommitsOnlyAfterThePartBeforeIt() throws Exception {
        sql("b", "DO $$ BEGIN FOR i IN 300..309 LOOP INSERT INTO items VALUES (i, 'part', i); COMMIT; END LOOP; END $$");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(10, WAIT);
        List<BatchApplier.RemoteEvent> first = batch.subList(0, 5);
        List<BatchApplier.RemoteEvent> second = batch.subList(5, batch.size());
        CompletableFuture<Boolean> firstCommitted = new CompletableFuture<>();
        try (BatchApplier session1 = secondSession("a")) {
            CompletableFuture<BatchApplier.Outcome> later = CompletableFuture.supplyAsync(() -> {
                try {
                    return session1.applyAfter(feeds.get("b").topic, 0, second,
                            new BatchApplier.Predecessor(firstCommitted, progressAfter(first), WAIT));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            // Its rows are written and their versions stored: it waits for the first part, in its transaction.
            await().atMost(WAIT).until(() -> "1".equals(query("a", "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE state = 'idle in transaction' AND (query LIKE '%INSERT INTO concord.row_versions%'"
                    + " OR query LIKE 'COPY concord.row_versions%')")));
            assertThat(query("a", "SELECT count(*) FROM items WHERE id BETWEEN 300 AND 309"))
                    .as("nothing visible while the part before it is not committed").isEqualTo("0");

            assertThat(apply("a", first).applied()).isEqualTo(5);
            firstCommitted.complete(true);
            assertThat(later.get(30, TimeUnit.SECONDS).applied()).isEqualTo(5);
        }
        assertThat(query("a", "SELECT count(*) FROM items WHERE id BETWEEN 300 AND 309")).isEqualTo("10");
        assertThat(query("a", "SELECT next_offset FROM concord.apply_progress WHERE topic = '" + feeds.get("b").topic + "'"))
                .isEqualTo(String.valueOf(progressAfter(second)));
        assertConverged("items", "id BETWEEN 300 AND 309");
    }

    /**
     * A later part that changes a row the part before it changes too writes its other rows while that part is not yet
     * applied, and settles the shared row only once it committed: from the state it stored, so the later change is
     * seen as following it (no conflict), and the row ends as the source left it.
     */
    @Test
    void aLaterPartSettlesARowThePartBeforeItChangesOnlyOnceThatPartCommitted() throws Exception {
        sql("b", "INSERT INTO items VALUES (330, 'first', 1)");
        sql("b", "INSERT INTO items VALUES (331, 'first', 1)");
        sql("b", "UPDATE items SET name = 'second', qty = 2 WHERE id = 330");
        sql("b", "INSERT INTO items VALUES (332, 'second', 2)");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(4, WAIT);
        List<BatchApplier.RemoteEvent> first = batch.subList(0, 2);
        List<BatchApplier.RemoteEvent> second = batch.subList(2, batch.size());
        RowKey shared = RowKey.of(second.get(0).event().getTable(), second.get(0).event().getKey());
        CompletableFuture<Boolean> firstCommitted = new CompletableFuture<>();
        try (BatchApplier session1 = secondSession("a")) {
            CompletableFuture<BatchApplier.Outcome> later = CompletableFuture.supplyAsync(() -> {
                try {
                    return session1.applyAfter(feeds.get("b").topic, 0, second, new BatchApplier.Predecessor(
                            firstCommitted, progressAfter(first), WAIT, Set.of(shared)));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            // Row 332 is written and its version stored; the part waits for the first before it touches row 330.
            await().atMost(WAIT).until(() -> "1".equals(query("a", "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE state = 'idle in transaction' AND (query LIKE '%INSERT INTO concord.row_versions%'"
                    + " OR query LIKE 'COPY concord.row_versions%')")));
            assertThat(later).as("waiting for the first part").isNotDone();

            // The first part locks and writes row 330 unhindered: the later part holds no lock on it.
            assertThat(apply("a", first).applied()).isEqualTo(2);
            firstCommitted.complete(true);
            BatchApplier.Outcome outcome = later.get(30, TimeUnit.SECONDS);
            assertThat(outcome.applied()).isEqualTo(2);
            assertThat(outcome.conflicts()).as("the update of 330 follows the insert the first part stored").isZero();
            assertThat(outcome.settled()).as("conflicts settled, recorded or not").isEmpty();
        }
        assertThat(query("a", "SELECT name || ' ' || qty FROM items WHERE id = 330")).isEqualTo("second 2");
        assertThat(query("a", "SELECT next_offset FROM concord.apply_progress WHERE topic = '" + feeds.get("b").topic + "'"))
                .isEqualTo(String.valueOf(progressAfter(second)));
        assertConverged("items", "id BETWEEN 330 AND 332");
    }

    @Test
    void aLaterPartCommitsNothingUnlessThePartBeforeItCommittedInTime() throws Exception {
        sql("b", "DO $$ BEGIN FOR i IN 320..323 LOOP INSERT INTO items VALUES (i, 'part', i); COMMIT; END LOOP; END $$");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(4, WAIT);
        List<BatchApplier.RemoteEvent> first = batch.subList(0, 2);
        List<BatchApplier.RemoteEvent> second = batch.subList(2, batch.size());
        String topic = feeds.get("b").topic;
        try (BatchApplier session1 = secondSession("a")) {
            assertThatThrownBy(() -> session1.applyAfter(topic, 0, second, new BatchApplier.Predecessor(
                    CompletableFuture.completedFuture(false), progressAfter(first), WAIT)))
                    .isInstanceOf(BatchApplier.Abandoned.class).hasMessageContaining("the part before it was not applied");
            assertThatThrownBy(() -> session1.applyAfter(topic, 0, second, new BatchApplier.Predecessor(
                    new CompletableFuture<>(), progressAfter(first), Duration.ofMillis(200))))
                    .isInstanceOf(BatchApplier.Abandoned.class)
                    .hasMessageContaining("the part before it did not commit within 200 ms");
            assertThatThrownBy(() -> session1.applyAfter(topic, 0, second, new BatchApplier.Predecessor(
                    CompletableFuture.completedFuture(true), progressAfter(first), WAIT)))
                    .as("said to be committed, but apply_progress is not where it ends")
                    .isInstanceOf(BatchApplier.Abandoned.class).hasMessageContaining("is not at " + progressAfter(first));
        }
        assertThat(query("a", "SELECT count(*) FROM items WHERE id BETWEEN 320 AND 323")).isEqualTo("0");

        assertThat(apply("a", batch).applied()).as("the whole batch, on the first session").isEqualTo(4);
        assertConverged("items", "id BETWEEN 320 AND 323");
    }

    /**
     * A row refused in a later part may be refused only because the part before it has not committed (here: it frees
     * the UNIQUE email the later part's row takes). The later part sets nothing aside; applied in order, both rows go in.
     */
    @Test
    void aLaterPartSetsNoRowAsideButLeavesTheWholePartToTheFirstSession() throws Exception {
        sql("b", "INSERT INTO people VALUES (910, 'old@example.com', 'x')");
        deliver("b", "a", 1);
        sql("b", "UPDATE people SET email = 'new@example.com' WHERE id = 910");
        sql("b", "INSERT INTO people VALUES (911, 'old@example.com', 'y')");
        List<BatchApplier.RemoteEvent> batch = feeds.get("b").next(2, WAIT);
        String lettersBefore = query("a", "SELECT count(*) FROM concord.dead_letters");
        try (BatchApplier session1 = secondSession("a")) {
            assertThatThrownBy(() -> session1.applyAfter(feeds.get("b").topic, 0, batch.subList(1, 2),
                    new BatchApplier.Predecessor(new CompletableFuture<>(), progressAfter(batch.subList(0, 1)), WAIT)))
                    .isInstanceOf(BatchApplier.Abandoned.class).hasMessageContaining("the database refused")
                    .hasMessageContaining("people_email_key");
        }
        assertThat(query("a", "SELECT count(*) FROM concord.dead_letters")).isEqualTo(lettersBefore);
        assertThat(query("a", "SELECT count(*) FROM people WHERE id = 911")).isEqualTo("0");

        BatchApplier.Outcome outcome = apply("a", batch);
        assertThat(outcome.applied()).isEqualTo(2);
        assertThat(outcome.deadLetters()).isZero();
        assertConverged("people", "id BETWEEN 910 AND 911");
        sql("b", "DELETE FROM people WHERE id IN (910, 911)"); // other tests read the whole table
        deliver("b", "a", 2);
        assertConverged("people", "id BETWEEN 910 AND 911");
    }

    /** An applier of the second apply session of {@code dc}'s peer (origin {@code concord_<peer>#1}). */
    private static BatchApplier secondSession(String dc) throws Exception {
        ConcordConfig config = configs.get(dc);
        ApplyTables tables;
        try (Connection connection = cluster.postgres(dc).connect()) {
            tables = ApplyTables.load(config, ResolverRegistry.load(), connection);
        }
        return new BatchApplier(config, dc.equals("a") ? "b" : "a", 1, tables, () -> cluster.postgres(dc).connect(),
                WAIT, new ApplyPhases());
    }

    private static long progressAfter(List<BatchApplier.RemoteEvent> part) {
        return part.get(part.size() - 1).offset() + 1;
    }

    private static BatchApplier.Outcome deliver(String from, String to, int atLeast) throws Exception {
        return apply(to, feeds.get(from).next(atLeast, WAIT));
    }

    private static BatchApplier.Outcome apply(String to, List<BatchApplier.RemoteEvent> batch) throws Exception {
        String from = to.equals("a") ? "b" : "a";
        return appliers.get(to).apply(feeds.get(from).topic, 0, batch);
    }

    /** Same rows in both DCs, and — once both captures recorded what apply settled — the same versions. */
    private static void assertConverged(String table, String where) throws Exception {
        assertThat(checksum("a", table, where)).isEqualTo(checksum("b", table, where));
        awaitCaptured("a");
        awaitCaptured("b");
        assertThat(versions("a", table, where)).isEqualTo(versions("b", table, where));
    }

    /** Waits until capture has recorded everything committed so far. */
    private static void awaitCaptured(String dc) throws Exception {
        String now = query(dc, "SELECT pg_current_wal_lsn()::text");
        await().atMost(WAIT).until(() -> "t".equals(query(dc, "SELECT confirmed_flush_lsn >= '" + now
                + "'::pg_lsn FROM pg_replication_slots WHERE slot_name = '" + configs.get(dc).capture().slot() + "'")));
    }

    private static String checksum(String dc, String table, String where) throws Exception {
        return query(dc, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t WHERE " + where);
    }

    private static String versions(String dc, String table, String where) throws Exception {
        String keys = where.replace("id", "(row_key::jsonb->>0)::int8");
        return query(dc, "SELECT md5(string_agg(row_key || vector::text || hlc || dc || deleted, ',' ORDER BY row_key))"
                + " FROM concord.row_versions WHERE table_name = 'public." + table + "' AND " + keys);
    }

    private static String count(String dc) throws Exception {
        return query(dc, "SELECT count(*) FROM concord.conflicts");
    }

    private static String key(ChangeEvent event) {
        return PgTextCodec.encode(event.getKey().get(0).getValue());
    }

    private static void sql(String dc, String sql) throws Exception {
        new DcSql(cluster).sql(dc, sql);
    }

    private static String query(String dc, String sql) throws Exception {
        return new DcSql(cluster).query(dc, sql);
    }
}
