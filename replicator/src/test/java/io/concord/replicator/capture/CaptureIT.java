package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.event.AppliedBatch;
import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.event.codec.EventCodec;
import io.concord.replicator.store.ApplyProgressStore;
import io.concord.replicator.store.RowKey;
import io.concord.replicator.store.RowStateStore;
import io.concord.replicator.store.StoredRowState;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.math.BigDecimal;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.testing.ChangeTopicReader;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.types.PgTextCodec;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Capture on a real PostgreSQL and Kafka: versions, keys, transactions, origins, restarts. */
class CaptureIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final String TABLES = """
              - name: accounts
              - name: notes
                resolver: {name: merge, columns: {likes: counter}}
            """;

    private static ConcordConfig config;
    private CaptureService capture;
    private Thread thread;

    @BeforeAll
    static void install() throws Exception {
        sql("CREATE TABLE accounts (id int8 PRIMARY KEY, owner text, balance numeric(12,2));"
                + "CREATE TABLE notes (id int4 PRIMARY KEY, body text, likes int8)");
        config = TestConfigs.parse(TestConfigs.yaml(cluster, "a", List.of("b"), TABLES, null));
        try (Connection connection = cluster.postgres("a").connect()) {
            new Installer(config).install(connection, true);
        }
    }

    @AfterEach
    void stopCapture() throws InterruptedException {
        if (capture != null) {
            capture.stop();
            thread.join(10_000);
        }
    }

    @Test
    void everyOperationIsPublishedWithItsVersionInCommitOrder() throws Exception {
        startCapture();
        sql("INSERT INTO accounts VALUES (1, 'ann', 10.00), (2, 'bob', 5)");
        sql("UPDATE accounts SET balance = 11.50 WHERE id = 1");
        sql("DELETE FROM accounts WHERE id = 2");
        sql("UPDATE accounts SET id = 3 WHERE id = 1");
        sql("INSERT INTO notes VALUES (1, 'hello', 0)");
        sql("UPDATE notes SET likes = likes + 5 WHERE id = 1");

        try (ChangeTopicReader reader = reader()) {
            // Other tests share the topic and use other keys.
            List<ChangeEvent> events = reader.readUntil(e -> firstKeys(e).size() >= 8, Duration.ofSeconds(30));
            events = firstKeys(events);
            assertThat(events).hasSize(8);
            assertThat(events).extracting(e -> e.getOp() + " " + e.getTable().getName() + " " + key(e) + " "
                    + e.getVersion().getVector() + " last=" + e.getSource().getLast())
                    .containsExactly(
                            "INSERT accounts 1 {a=1} last=false",
                            "INSERT accounts 2 {a=1} last=true",
                            "UPDATE accounts 1 {a=2} last=true",
                            "DELETE accounts 2 {a=2} last=true",
                            // A key change is the old key deleted and the new one inserted.
                            "DELETE accounts 1 {a=3} last=false",
                            "INSERT accounts 3 {a=1} last=true",
                            "INSERT notes 1 {a=1} last=true",
                            "UPDATE notes 1 {a=2} last=true");
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).getVersion().getHlc()).as("hlc grows in commit order")
                        .isGreaterThan(events.get(i - 1).getVersion().getHlc());
            }
            assertThat(reader.keyOf(events.get(0))).as("Kafka key: table and primary key")
                    .isEqualTo("public.accounts[\"1\"]");
            assertThat(events).allSatisfy(e -> assertThat(e.getOrigin()).isEqualTo("a"))
                    .extracting(ChangeEvent::getEventId).doesNotHaveDuplicates();
            assertThat(events.get(2).getAfter()).anySatisfy(c -> assertThat(PgTextCodec.encode(c.getValue()))
                    .isEqualTo("11.50"));
            assertThat(events.get(6).getColumnStates()).as("merge tables carry column state").isNotEmpty();
            assertThat(events.get(7).getChangedColumns()).containsExactly("likes");
            assertThat(events.get(0).getColumnStates()).as("lww tables do not").isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> !reader.readUntil(e -> true, Duration.ofMillis(200))
                    .isEmpty() && !reader.heartbeats().isEmpty());
            assertThat(reader.heartbeats()).allSatisfy(h -> assertThat(h.getDc()).isEqualTo("a"));
        }
    }

    @Test
    void changesAppliedUnderAPeersOriginAreNotPublishedAsLocal() throws Exception {
        startCapture();
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_replication_origin_session_setup('concord_b')");
            statement.execute("INSERT INTO accounts VALUES (100, 'from b', 1)");
            statement.execute("SELECT pg_replication_origin_session_reset()");
        }
        sql("INSERT INTO accounts VALUES (101, 'local', 1)");

        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> events = reader.readUntil(e -> e.stream().anyMatch(x -> key(x).equals("101")),
                    Duration.ofSeconds(30));
            assertThat(events).extracting(CaptureIT::key).contains("101").doesNotContain("100");
        }
    }

    @Test
    void aRestartedCaptureContinuesTheVersionsWithoutCountingAnythingTwice() throws Exception {
        startCapture();
        sql("INSERT INTO accounts VALUES (200, 'carol', 1)");
        sql("UPDATE accounts SET balance = 2 WHERE id = 200");
        try (ChangeTopicReader reader = reader()) {
            reader.readUntil(e -> count(e, "200") >= 2, Duration.ofSeconds(30));
        }
        stopCapture();
        sql("UPDATE accounts SET balance = 3 WHERE id = 200");
        startCapture();
        sql("UPDATE accounts SET balance = 4 WHERE id = 200");

        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> events = reader.readUntil(e -> count(e, "200") >= 4, Duration.ofSeconds(30));
            Map<String, Map<String, Long>> versionById = new java.util.HashMap<>();
            Set<Map<String, Long>> vectors = new HashSet<>();
            for (ChangeEvent event : events) {
                if (key(event).equals("200")) {
                    Map<String, Long> previous = versionById.putIfAbsent(event.getEventId(), event.getVersion().getVector());
                    assertThat(previous == null || previous.equals(event.getVersion().getVector()))
                            .as("a republished event carries the same version").isTrue();
                    vectors.add(event.getVersion().getVector());
                }
            }
            assertThat(vectors).containsExactlyInAnyOrder(Map.of("a", 1L), Map.of("a", 2L), Map.of("a", 3L),
                    Map.of("a", 4L));
        }
    }

    @Test
    void aBatchTouchingMoreRowsThanTheCacheHoldsVersionsEveryRowFromItsStoredState() throws Exception {
        // A cache of 3 rows: loading the rows a batch lacks must not make it forget those it found cached.
        CaptureSettings tiny = CaptureSettings.of(config);
        capture = new CaptureService(config, new CaptureSettings(tiny.slot(), tiny.publication(), tiny.maxBatchEvents(),
                tiny.maxBatchDelayNanos(), tiny.heartbeatMillis(), tiny.idlePollMillis(), 3, tiny.forward()));
        thread = new Thread(capture, "capture-test");
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> capture.isActive() || capture.failure() != null);
        sql("INSERT INTO notes SELECT i, 'first', 0 FROM generate_series(1000, 1049) i");
        try (ChangeTopicReader reader = reader()) {
            reader.readUntil(e -> e.stream().filter(c -> key(c).startsWith("10")).count() >= 50, Duration.ofSeconds(30));
        }
        // One transaction, the three rows still cached (the last inserted) changed last: by the time the batch
        // reaches them, putting the 47 loaded states in has pushed them out of the cache.
        sql("BEGIN; UPDATE notes SET body = 'second' WHERE id BETWEEN 1000 AND 1046;"
                + " UPDATE notes SET body = 'second' WHERE id BETWEEN 1047 AND 1049; COMMIT");

        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> updates = reader.readUntil(e -> e.stream().filter(c -> key(c).startsWith("10")
                    && c.getOp() == io.concord.event.Operation.UPDATE).count() >= 50, Duration.ofSeconds(30))
                    .stream().filter(c -> key(c).startsWith("10") && c.getOp() == io.concord.event.Operation.UPDATE)
                    .toList();
            assertThat(updates).extracting(c -> c.getVersion().getVector())
                    .as("every update follows its row's insert").containsOnly(Map.of("a", 2L));
        }
        // Right the first time: a cached row evicted while the batch read the others was once taken as stateless,
        // its insert of a state refused, and capture started over from the slot (right in the end, but a backlog of
        // updates did it every few batches and ran at a third of its speed).
        assertThat(capture.metrics().restartsForMovedState()).as("capture started over from the slot").isZero();
    }

    private static List<ChangeEvent> firstKeys(List<ChangeEvent> events) {
        return events.stream().filter(e -> Set.of("1", "2", "3").contains(key(e))).toList();
    }

    @Test
    void aTruncateIsNotReplicatedButKeptAsADeadLetterWithItsReason() throws Exception {
        startCapture();
        sql("INSERT INTO notes VALUES (50, 'doomed', 0)");
        sql("TRUNCATE notes");
        sql("INSERT INTO accounts VALUES (500, 'after truncate', 1)");

        try (ChangeTopicReader reader = reader()) {
            reader.readUntil(e -> count(e, "500") >= 1, Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterReasons().stream()
                .anyMatch(reason -> reason.contains("TRUNCATE of [public.notes]")));
        assertThat(deadLetterReasons()).singleElement().asString().contains("not replicated");
        assertThat(capture.metrics().truncatesIgnored()).isEqualTo(1);
    }

    @Test
    void anIdleSlotStillAdvancesWhenOnlyUnreplicatedTablesAreWritten() throws Exception {
        startCapture();
        sql("CREATE TABLE IF NOT EXISTS scratch (id int4)");
        sql("INSERT INTO scratch SELECT generate_series(1, 10000)");
        String walAfterWrites = query("SELECT pg_current_wal_lsn()::text");

        await().atMost(Duration.ofSeconds(30)).until(() -> "t".equals(query(
                "SELECT confirmed_flush_lsn >= '" + walAfterWrites + "'::pg_lsn FROM pg_replication_slots"
                        + " WHERE slot_name = 'concord_a'")));
    }

    private static List<String> deadLetterReasons() throws Exception {
        List<String> reasons = new java.util.ArrayList<>();
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("SELECT reason FROM concord.dead_letters")) {
            while (rs.next()) {
                reasons.add(rs.getString(1));
            }
        }
        return reasons;
    }

    private static String query(String sql) throws Exception {
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void rowsSettledByApplyKeepTheirVersionAndALaterLocalWriteFollowsThem() throws Exception {
        startCapture();
        long future = (System.currentTimeMillis() + 3_600_000L) * 1000; // b's clock is an hour ahead
        VersionedRow fromB = VersionedRow.live(io.concord.resolver.Operation.INSERT,
                RowImage.of(Map.of("id", 300L, "owner", "from b", "balance", new BigDecimal("1.00"))),
                RowVersion.of(Map.of("b", 1L), future, "b"));
        applyAsConcordWould("INSERT INTO accounts VALUES (300, 'from b', 1.00)", "public.accounts", "[\"300\"]",
                fromB, List.of());
        sql("UPDATE accounts SET balance = 2 WHERE id = 300");

        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> events = reader.readUntil(e -> count(e, "300") >= 1, Duration.ofSeconds(30));
            List<ChangeEvent> row = events.stream().filter(e -> key(e).equals("300")).toList();
            assertThat(row).as("the applied insert is not published as local; the local update is").hasSize(1);
            assertThat(row.get(0).getOp()).isEqualTo(Operation.UPDATE);
            assertThat(row.get(0).getVersion().getVector()).isEqualTo(Map.of("a", 1L, "b", 1L));
            assertThat(row.get(0).getVersion().getHlc()).as("a causal successor is stamped after, whatever the clocks")
                    .isGreaterThan(future);
        }
    }

    @Test
    void aRowCapturedBeforeApplySettledItIsNotVersionedFromWhatCaptureRememberedOfIt() throws Exception {
        startCapture();
        sql("INSERT INTO accounts VALUES (310, 'local', 1.00)");
        try (ChangeTopicReader reader = reader()) {
            reader.readUntil(e -> count(e, "310") >= 1, Duration.ofSeconds(30));
        }
        // Apply settles the row on top of the local insert: capture must not version the next local write
        // from the state it cached for the insert.
        VersionedRow merged = VersionedRow.live(io.concord.resolver.Operation.UPDATE,
                RowImage.of(Map.of("id", 310L, "owner", "from b", "balance", new BigDecimal("1.00"))),
                RowVersion.of(Map.of("a", 1L, "b", 1L), System.currentTimeMillis() * 1000 + 1_000, "b"));
        applyAsConcordWould("UPDATE accounts SET owner = 'from b' WHERE id = 310", "public.accounts", "[\"310\"]",
                merged, List.of());
        sql("UPDATE accounts SET balance = 3 WHERE id = 310");

        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> events = reader.readUntil(e -> count(e, "310") >= 2, Duration.ofSeconds(30));
            List<ChangeEvent> row = events.stream().filter(e -> key(e).equals("310")).toList();
            assertThat(row).as("the local insert and the local update; the applied update is not published").hasSize(2);
            assertThat(row.get(1).getVersion().getVector()).isEqualTo(Map.of("a", 2L, "b", 1L));
        }
    }

    /**
     * Issue 5's last window: apply decides a key stays deleted (it had no row to lock), and before its
     * transaction commits a local insert of that key commits. Capture reads the key's state while apply's is not
     * committed yet, versions the insert from nothing, and saves it after apply committed. The saved state must
     * not replace apply's, which it never saw: capture starts over and versions the insert on top of apply's
     * delete, a write after it — the row is there in this database, whatever apply decided.
     */
    @Test
    void aLocalInsertRacingAnApplyThatLeftTheKeyDeletedIsVersionedOnTopOfIt() throws Exception {
        VersionedRow deletedInB = VersionedRow.tombstone(RowVersion.of(Map.of("b", 1L),
                System.currentTimeMillis() * 1000, "b"));
        try (Connection apply = openApplyTransaction(null, "public.accounts", "[\"330\"]", deletedInB, List.of())) {
            sql("INSERT INTO accounts VALUES (330, 'local', 3.00)"); // commits after apply's fence, before its commit
            startCapture();
            // Capture read no state for 330 (apply's is not committed) and now waits to store its own on the row
            // apply's transaction holds.
            await().atMost(Duration.ofSeconds(30)).until(CaptureIT::captureWaitsForALock);
            apply.commit();
        }
        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> events = reader.readUntil(e -> count(e, "330") >= 1, Duration.ofSeconds(30));
            List<ChangeEvent> row = events.stream().filter(e -> key(e).equals("330")).toList();
            assertThat(row).as("one insert published; the batch versioned without apply's state was aborted").hasSize(1);
            assertThat(row.get(0).getVersion().getVector()).isEqualTo(Map.of("a", 1L, "b", 1L));
        }
        try (Connection connection = cluster.postgres("a").connect()) {
            StoredRowState stored = new RowStateStore().load(connection, List.of(new RowKey("public.accounts",
                    "[\"330\"]"))).values().iterator().next();
            assertThat(stored.state().current().isTombstone()).isFalse();
            assertThat(stored.state().current().version().vector().toMap()).isEqualTo(Map.of("a", 1L, "b", 1L));
        }
        assertThat(capture.metrics().restartsForMovedState()).isEqualTo(1);
    }

    /**
     * Apply's barrier rests on this: capture says it passed a fence only once every local commit before the fence
     * has its state stored. Here a local insert and a fence right after it are read in one batch while the
     * insert's state cannot be stored yet (an uncommitted state of the same key holds the insert up): the fence
     * must wait for it, even though capture now passes a fence with nothing unsaved before it the moment it reads it.
     */
    @Test
    void aFenceAfterALocalChangeIsPassedOnlyOnceThatChangesStateIsStored() throws Exception {
        FencesPassed fences = FencesPassed.of(config.capture().slot());
        RowKey key = new RowKey("public.accounts", "[\"710\"]");
        try (FencesPassed.Expected passed = fences.expect("fence-after-710");
             Connection holder = cluster.postgres("a").connect()) {
            holder.setAutoCommit(false);
            new RowStateStore().save(holder, List.of(new StoredRowState(key, RowState.of(VersionedRow.tombstone(
                    RowVersion.of(Map.of("b", 1L), 1L, "b"))), Lsn.parse("0/1"), 0, Map.of())));
            sql("INSERT INTO accounts VALUES (710, 'fenced', 1.00)");
            sql("SELECT pg_logical_emit_message(false, '" + FencesPassed.PREFIX + "', 'fence-after-710', true)");
            Thread.sleep(CaptureLoop.BACKLOG_AGE_MICROS / 1000 + 100); // a backlog by then: read as one batch
            startCapture();
            await().atMost(Duration.ofSeconds(30)).until(CaptureIT::captureWaitsForALock);
            assertThat(passed.await(500)).as("passed while the insert's state was not stored").isFalse();
            holder.rollback();
            assertThat(passed.await(30_000)).as("passed once the state is stored").isTrue();
        }
        try (Connection connection = cluster.postgres("a").connect()) {
            StoredRowState stored = new RowStateStore().load(connection, List.of(key)).get(key);
            assertThat(stored).as("the insert's state, stored before the fence was passed").isNotNull();
            assertThat(stored.state().current().version().vector().toMap()).isEqualTo(Map.of("a", 1L));
        }
    }

    private static boolean captureWaitsForALock() throws Exception {
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name = 'concord-capture-a' AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    /**
     * Another replication into this database (a native subscription, another tool) writes under an origin of
     * its own: for Concord those writes are local, and are published.
     */
    @Test
    void writesUnderAnotherReplicationsOriginArePublishedAsLocal() throws Exception {
        sql("SELECT pg_replication_origin_create('legacy_feed')");
        try {
            startCapture();
            try (Connection connection = cluster.postgres("a").connect();
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_replication_origin_session_setup('legacy_feed')");
                statement.execute("INSERT INTO accounts VALUES (320, 'via a subscription', 5.00)");
                statement.execute("SELECT pg_replication_origin_session_reset()");
            }
            try (ChangeTopicReader reader = reader()) {
                List<ChangeEvent> events = reader.readUntil(e -> count(e, "320") >= 1, Duration.ofSeconds(30));
                ChangeEvent insert = events.stream().filter(e -> key(e).equals("320")).findFirst().orElseThrow();
                assertThat(insert.getOrigin()).isEqualTo("a");
                assertThat(insert.getVersion().getVector()).isEqualTo(Map.of("a", 1L));
            }
        } finally {
            stopCapture(); // before the drop: the origin must not be in use
            capture = null;
            sql("SELECT pg_replication_origin_drop('legacy_feed')");
        }
    }

    @Test
    void aRingMemberForwardsWhatItAppliedWithTheOriginalOriginAndVersion() throws Exception {
        String yaml = TestConfigs.yaml(cluster, "a", List.of("b", "c"), TABLES,
                "topology: {type: ring, upstream: b}\ntopics: {prefix: ring}")
                .replace("heartbeat-interval: 500ms", "heartbeat-interval: 500ms\n  slot: concord_a_ring\n  publication: ring");
        ConcordConfig ring = TestConfigs.parse(yaml);
        try (Connection connection = cluster.postgres("a").connect()) {
            new Installer(ring).install(connection, true);
        }
        CaptureService ringCapture = new CaptureService(ring);
        Thread ringThread = new Thread(ringCapture, "capture-ring");
        ringThread.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(ringCapture::isActive);
            VersionedRow fromB = VersionedRow.live(io.concord.resolver.Operation.INSERT,
                    RowImage.of(Map.of("id", 400L, "owner", "via ring", "balance", new BigDecimal("4.00"))),
                    RowVersion.of(Map.of("b", 2L), 1_700_000_000_000_000L, "b"));
            ChangeEvent received = ChangeEvent.newBuilder().setEventId("b/0/1A2B3C/0").setOrigin("b").setPublishedBy("b")
                    .setTable(new TableRef("public", "accounts")).setOp(Operation.INSERT)
                    .setKey(List.of(new Column("id", "int8", new Datum(400L))))
                    .setAfter(List.of(new Column("id", "int8", new Datum(400L))))
                    .setVersion(new io.concord.event.RowVersion(Map.of("b", 2L), 1_700_000_000_000_000L, "b"))
                    .setSource(new SourceTransaction(9L, 0x1A2B3CL, 1_700_000_000_000_000L, 0, true)).build();
            applyAsConcordWould("INSERT INTO accounts VALUES (400, 'via ring', 4.00)", "public.accounts", "[\"400\"]",
                    fromB, List.of(received));

            try (ChangeTopicReader reader = new ChangeTopicReader(cluster.kafka().bootstrapServers(), "ring.changes.a")) {
                List<ChangeEvent> events = reader.readUntil(e -> count(e, "400") >= 1, Duration.ofSeconds(30));
                ChangeEvent forwarded = events.stream().filter(e -> key(e).equals("400")).findFirst().orElseThrow();
                assertThat(forwarded.getOrigin()).isEqualTo("b");
                assertThat(forwarded.getPublishedBy()).isEqualTo("a");
                assertThat(forwarded.getEventId()).isEqualTo("b/0/1A2B3C/0");
                assertThat(forwarded.getVersion().getVector()).isEqualTo(Map.of("b", 2L));
            }
        } finally {
            ringCapture.stop();
            ringThread.join(10_000);
        }
    }

    /**
     * Writes as Concord's apply does, under b's replication origin: the row, its settled state in
     * {@code concord.row_versions} at a fence position, the message saying where, the events to forward (if
     * any), and apply's progress.
     */
    private static void applyAsConcordWould(String write, String table, String key, VersionedRow state,
            List<ChangeEvent> forward) throws Exception {
        try (Connection connection = openApplyTransaction(write, table, key, state, forward)) {
            connection.commit();
        }
    }

    /** As {@link #applyAsConcordWould}, left uncommitted: the caller commits (or closes, rolling back). */
    private static Connection openApplyTransaction(String write, String table, String key, VersionedRow state,
            List<ChangeEvent> forward) throws Exception {
        Map<String, String> types = Map.of("id", "int8", "owner", "text", "balance", "numeric");
        Connection connection = cluster.postgres("a").connect();
        try (Statement statement = connection.createStatement()) {
            // A session origin only for the transaction: it is released when the connection closes.
            statement.execute("SELECT pg_replication_origin_session_setup('concord_b')");
            connection.setAutoCommit(false);
            if (write != null) {
                statement.execute(write);
            }
            Lsn fence;
            try (var rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                rs.next();
                fence = Lsn.parse(rs.getString(1));
            }
            new RowStateStore().save(connection, List.of(new StoredRowState(new RowKey(table, key), RowState.of(state),
                    fence, 0, types)));
            try (var emit = connection.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
                emit.setString(1, AppliedBatchMessage.STATES_PREFIX);
                emit.setString(2, fence.toString());
                emit.execute();
                if (!forward.isEmpty()) {
                    emit.setString(1, AppliedBatchMessage.PREFIX);
                    emit.setBytes(2, new AppliedBatchMessage(new EventCodec()).encode(new AppliedBatch("b", List.of(),
                            forward)));
                    emit.execute();
                }
            }
            ApplyProgressStore.advance(connection, "concord.changes.b", 0, "b", ++appliedOffsets, fence.value());
            return connection;
        } catch (Exception e) {
            connection.close();
            throw e;
        }
    }

    private static long appliedOffsets;

    private void startCapture() {
        capture = new CaptureService(config);
        thread = new Thread(capture, "capture-test");
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> capture.isActive() || capture.failure() != null);
        assertThat(capture.failure()).isNull();
    }

    private static ChangeTopicReader reader() {
        return new ChangeTopicReader(cluster.kafka().bootstrapServers(), config.topics().changes("a"));
    }

    private static long count(List<ChangeEvent> events, String key) {
        return events.stream().filter(e -> key(e).equals(key)).count();
    }

    static String key(ChangeEvent event) {
        return PgTextCodec.encode(event.getKey().get(0).getValue());
    }

    private static void sql(String sql) throws Exception {
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
