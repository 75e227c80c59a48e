package io.concord.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.embedded.EmbeddedKafkaCluster;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.install.Installer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.testing.TopicRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concord across two Kafka clusters joined by a real MirrorMaker 2, run on {@code deploy/mirrormaker/mm2.properties}
 * as shipped (only the addresses, and timings for a test, replaced): DC {@code a} publishes to cluster A, DC
 * {@code b} to cluster B, and each reads the other's changes from the copy on its own cluster.
 *
 * <p>What a copy changes, and why Concord does not mind:
 * <ul>
 *   <li>Capture publishes in Kafka transactions; MirrorMaker writes its copies outside any transaction, so
 *       the copy has no transaction markers. Had MirrorMaker read uncommitted records, an aborted batch would
 *       be copied as ordinary records and applied: the shipped config reads {@code read_committed}, and a
 *       test aborts a batch on A to show it never reaches B.</li>
 *   <li>Without markers the copy's offsets differ from the source's. Concord's apply keeps its progress by
 *       topic and offset on the cluster it reads, and finds where a source transaction ends in the events
 *       ({@code source.last}), so it still applies each source transaction whole (a test watches for a
 *       partial one) and once (the applied-event counters match what the source published).</li>
 *   <li>MirrorMaker copies at least once: a restart that lost its offsets copies everything again. The
 *       duplicates reach the appliers and change nothing (version vectors).</li>
 *   <li>Who creates a copy's topic first does not matter: Concord's apply creates the peer's topic on its
 *       own cluster at start (one partition), here before MirrorMaker sees the topic on the source (its log
 *       shows it creating no changes topic); MirrorMaker then finds it there, and otherwise creates it with
 *       the source's one partition, which Concord's check at start accepts.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorMakerIT {

    /** PostgreSQL of DC a and b; the fixture's Kafka is cluster A. */
    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final DeployTree CHECKOUT = DeployTree.ofThisCheckout();
    private static final EventCodec CODEC = new EventCodec();

    private static EmbeddedKafkaCluster clusterB;
    private static MirrorMakerProcess mirrorMaker;
    private static Path workDirectory;
    private static final Map<String, ConcordConfig> configs = new TreeMap<>();
    private static final Map<String, DcRuntime> runtimes = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        clusterB = EmbeddedKafkaCluster.start();
        workDirectory = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mirrormaker-it-");
        // MirrorMaker takes longest to come up: started first, it does so while Concord installs and starts.
        mirrorMaker = MirrorMakerProcess.start(workDirectory.resolve("run-1"), mirrorMakerConfig());
        String schema = CHECKOUT.text(CHECKOUT.file("postgres/init.sql"));
        for (String dc : List.of("a", "b")) {
            sql(dc, schema);
            ConcordConfig config = config(dc);
            configs.put(dc, config);
            try (Connection connection = cluster.postgres(dc).connect()) {
                new Installer(config).install(connection, false);
            }
        }
        for (String dc : List.of("a", "b")) {
            runtimes.put(dc, DcRuntime.start(configs.get(dc)));
        }
        for (DcRuntime runtime : runtimes.values()) {
            await().atMost(WAIT).until(() -> runtime.capture().isActive() && runtime.apply().isRunning());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (mirrorMaker != null && mirrorMaker.isAlive()) {
                mirrorMaker.stop();
                if (!mirrorMaker.log().contains("Kafka MirrorMaker stopped.")) {
                    throw new AssertionError("MirrorMaker did not stop cleanly on SIGTERM; log: " + mirrorMaker.logFile());
                }
            }
        } finally {
            runtimes.values().forEach(DcRuntime::close);
            if (clusterB != null) {
                clusterB.close();
            }
        }
    }

    @Test
    @Order(1)
    void rowsWrittenInBothDcsConvergeAndEverySourceTransactionArrivesWhole() throws Exception {
        // capture.max-batch-events is 50 here: each of these transactions spans several Kafka transactions on
        // its source cluster, and arrives on the other as plain records in MirrorMaker's batches.
        try (RowCountWatch onB = watch("b", "SELECT count(*) FROM accounts WHERE id BETWEEN 1 AND 300", 300);
                RowCountWatch onA = watch("a", "SELECT count(*) FROM accounts WHERE id BETWEEN 1001 AND 1200", 200)) {
            sql("a", "INSERT INTO accounts (id, owner, balance) SELECT g, 'owner ' || g, 0"
                    + " FROM generate_series(1, 300) g");
            sql("b", "INSERT INTO accounts (id, owner, balance) SELECT g, 'owner ' || g, 10"
                    + " FROM generate_series(1001, 1200) g");
            // Both counts seen (the watch was there before the transaction arrived), and none between.
            assertThat(onB.awaitSeen()).as("counts b saw of a's 300-row transaction").containsExactly(0L, 300L);
            assertThat(onA.awaitSeen()).as("counts a saw of b's 200-row transaction").containsExactly(0L, 200L);
        }
        try (RowCountWatch onB = watch("b", "SELECT count(*) FROM accounts WHERE id <= 100 AND balance = 1", 100)) {
            sql("a", "UPDATE accounts SET balance = 1 WHERE id <= 100");
            assertThat(onB.awaitSeen()).as("counts b saw of a's 100-row update").containsExactly(0L, 100L);
        }
        sql("b", "DELETE FROM accounts WHERE id BETWEEN 1151 AND 1200");
        sql("b", "UPDATE accounts SET owner = 'moved to b' WHERE id = 7");
        sql("a", "INSERT INTO orders (id, account_id, item) VALUES (1, 1, 'book'), (2, 1001, 'lamp')");

        awaitConverged("accounts", 450);
        awaitConverged("orders", 2);
        assertThat(query("a", "SELECT owner FROM accounts WHERE id = 7")).isEqualTo("moved to b");
        assertThat(query("b", "SELECT count(*) FROM accounts WHERE id BETWEEN 1151 AND 1200")).isEqualTo("0");
        // Once: every change event a published was applied in b exactly once, and the other way round.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(runtimes.get("b").apply().metrics().applied()).isEqualTo(changeEventsOn(clusterA(), "a"));
            assertThat(runtimes.get("a").apply().metrics().applied()).isEqualTo(changeEventsOn(clusterB.bootstrapServers(), "b"));
        });
    }

    @Test
    @Order(2)
    void aConcurrentUpdateOfOneRowIsRecordedAsTheSameConflictAndSettledAlikeInBothDcs() throws Exception {
        try (Connection local = cluster.postgres("b").connect(); Statement statement = local.createStatement()) {
            local.setAutoCommit(false);
            statement.execute("UPDATE orders SET status = 'shipped by b' WHERE id = 1");
            // a's update crosses MirrorMaker and reaches b's applier, which waits for this row lock: neither
            // DC has seen the other's write when it makes its own.
            sql("a", "UPDATE orders SET status = 'cancelled by a' WHERE id = 1");
            await().atMost(WAIT).until(() -> Long.parseLong(query("b",
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) > 0);
            local.commit();
        }
        String conflict = "SELECT id || ' ' || conflict_type FROM concord.conflicts WHERE table_name = 'public.orders'"
                + " AND primary_key->>'id' = '1'";
        await().atMost(WAIT).until(() -> query("a", conflict) != null && query("b", conflict) != null);
        assertThat(query("a", conflict)).isEqualTo(query("b", conflict)).endsWith("update_update");
        awaitConverged("orders", 2);
        assertThat(query("a", "SELECT status FROM orders WHERE id = 1")).isIn("shipped by b", "cancelled by a");
    }

    @Test
    @Order(3)
    void aBatchAbortedOnTheSourceClusterIsNeverCopied() throws Exception {
        byte[] aborted = CODEC.encode(zombieInsert(9_999));
        // Another transactional id than capture's: fencing the running capture is not what this shows.
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, clusterA());
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "zombie-of-capture-a");
        try (KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("concord.changes.a", 0, null, aborted)).get();
            zombie.abortTransaction();
        }
        sql("a", "INSERT INTO accounts (id, owner) VALUES (5000, 'written after the aborted batch')");
        await().atMost(WAIT).until(() -> "1".equals(query("b", "SELECT count(*) FROM accounts WHERE id = 5000")));

        assertThat(TopicRecords.read(clusterA(), "concord.changes.a", "read_uncommitted",
                records -> containsValue(records, aborted), WAIT)).as("the aborted record is on A").isNotEmpty();
        List<ConsumerRecord<byte[], byte[]>> copy = TopicRecords.read(clusterB.bootstrapServers(), "concord.changes.a",
                "read_uncommitted", records -> records.stream().anyMatch(r -> isAccount(r.value(), 5000)), WAIT);
        assertThat(containsValue(copy, aborted)).as("the aborted record was copied to B").isFalse();
        assertThat(query("b", "SELECT count(*) FROM accounts WHERE id = 9999")).isEqualTo("0");
    }

    @Test
    @Order(4)
    void theCopyHoldsTheCommittedRecordsInOrderAtOtherOffsetsAndApplyCountsOffsetsOfTheCopy() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> source = TopicRecords.read(clusterA(), "concord.changes.a",
                "read_committed", records -> records.stream().anyMatch(r -> isAccount(r.value(), 5000)), WAIT);
        List<ConsumerRecord<byte[], byte[]>> copy = TopicRecords.read(clusterB.bootstrapServers(), "concord.changes.a",
                "read_committed", records -> records.size() >= source.size(), WAIT);

        for (int i = 0; i < source.size(); i++) {
            assertThat(copy.get(i).value()).as("record %d of the copy", i).isEqualTo(source.get(i).value());
        }
        // The last change event b applied; heartbeats after it do not move the apply progress.
        int last = 0;
        for (int i = 0; i < source.size(); i++) {
            if (isAccount(source.get(i).value(), 5000)) {
                last = i;
            }
        }
        long sourceOffset = source.get(last).offset();
        long copyOffset = copy.get(last).offset();
        assertThat(copyOffset).as("offsets on B, without the markers of A's transactions").isLessThan(sourceOffset);
        long applied = Long.parseLong(query("b", "SELECT next_offset FROM concord.apply_progress"
                + " WHERE topic = 'concord.changes.a'"));
        assertThat(applied).as("b's apply progress counts offsets of the copy on B")
                .isGreaterThan(copyOffset).isLessThanOrEqualTo(TopicRecords.endOffset(clusterB.bootstrapServers(),
                        "concord.changes.a"));
    }

    @Test
    @Order(5)
    void everythingCopiedAgainAfterAMirrorMakerCrashChangesNothing() throws Exception {
        String before = state("a") + " | " + state("b");
        long appliedInA = runtimes.get("a").apply().metrics().applied();
        long appliedInB = runtimes.get("b").apply().metrics().applied();
        long skippedInB = runtimes.get("b").apply().metrics().skipped();
        long copied = TopicRecords.endOffset(clusterB.bootstrapServers(), "concord.changes.a");
        long changeEvents = TopicRecords.readToEnd(clusterB.bootstrapServers(), "concord.changes.a", "read_committed")
                .stream().filter(r -> decode(r.value()) instanceof ChangeEvent).count();

        // A crash that loses what MirrorMaker copied (its offsets, flushed once a minute, here gone with a fresh
        // offsets topic): it starts again from the beginning of every topic.
        mirrorMaker.kill();
        Properties restarted = mirrorMakerConfig();
        restarted.setProperty("offset.storage.topic", "mm2-offsets-after-the-crash");
        mirrorMaker = MirrorMakerProcess.start(workDirectory.resolve("run-2"), restarted);
        await().atMost(WAIT).until(() -> TopicRecords.endOffset(clusterB.bootstrapServers(), "concord.changes.a")
                >= 2 * copied);
        sql("a", "INSERT INTO accounts (id, owner) VALUES (6000, 'after the restart')");
        sql("b", "INSERT INTO accounts (id, owner) VALUES (6001, 'after the restart')");
        awaitConverged("accounts", 453);

        // How Streams cuts the copy into batches depends on timing; that every copied event reached b's appliers
        // and was skipped as already seen does not.
        assertThat(changeEvents).as("change events a had published before the crash").isGreaterThan(400);
        assertThat(runtimes.get("b").apply().metrics().skipped()).as("the duplicates went through b's appliers")
                .isGreaterThanOrEqualTo(skippedInB + changeEvents);
        assertThat(runtimes.get("b").apply().metrics().applied()).as("and changed nothing").isEqualTo(appliedInB + 1);
        assertThat(runtimes.get("a").apply().metrics().applied()).isEqualTo(appliedInA + 1);
        sql("a", "DELETE FROM accounts WHERE id = 6000");
        sql("b", "DELETE FROM accounts WHERE id = 6001");
        awaitConverged("accounts", 451);
        assertThat(state("a") + " | " + state("b")).isEqualTo(before);
    }

    /** The shipped MirrorMaker config between clusters a and b, with this test's addresses and timings. */
    private static Properties mirrorMakerConfig() {
        Properties config = CHECKOUT.properties(CHECKOUT.file("mirrormaker/mm2.properties"));
        config.setProperty("clusters", "a, b");
        config.setProperty("a.bootstrap.servers", clusterA());
        config.setProperty("b.bootstrap.servers", clusterB.bootstrapServers());
        config.stringPropertyNames().stream().filter(key -> key.startsWith("c.") || key.contains("->c.")
                || key.startsWith("c->")).forEach(config::remove);
        config.setProperty("refresh.topics.interval.seconds", "1");
        // Worker settings go per target cluster in dedicated mode. Plugins from their ServiceLoader manifests
        // only (the default also scans every jar: ~10 s per worker here); a restarted worker gets its tasks at
        // once rather than after the 5 minutes Connect waits for a departed member to come back.
        for (String target : List.of("a", "b")) {
            config.setProperty(target + ".plugin.discovery", "service_load");
            config.setProperty(target + ".scheduled.rebalance.max.delay.ms", "0");
        }
        config.setProperty("plugin.discovery", "service_load");
        return config;
    }

    /** The example concord.yaml of {@code dc}, pointed at this test's servers, with a 2-DC cluster. */
    private static ConcordConfig config(String dc) throws Exception {
        ObjectNode yaml = (ObjectNode) YAML.readTree(CHECKOUT.text(CHECKOUT.file("config/" + dc + "/concord.yaml")));
        PostgresServer postgres = cluster.postgres(dc);
        yaml.putObject("postgres").put("url", postgres.jdbcUrl()).put("user", postgres.user())
                .put("password", postgres.password());
        yaml.putObject("kafka").put("bootstrap-servers", dc.equals("a") ? clusterA() : clusterB.bootstrapServers());
        yaml.putArray("peers").add(dc.equals("a") ? "b" : "a");
        yaml.putObject("capture").put("heartbeat-interval", "500ms").put("max-batch-events", 50);
        // Off: two DCs in one JVM cannot both serve on 8080.
        yaml.putObject("http").put("port", 0);
        return TestConfigs.parse(YAML.writeValueAsString(yaml));
    }

    private static String clusterA() {
        return cluster.kafka().bootstrapServers();
    }

    private static RowCountWatch watch(String dc, String countSql, long last) {
        return RowCountWatch.start(cluster.postgres(dc), countSql, last, WAIT.toMillis());
    }

    /** How many change events (not heartbeats) DC {@code dc} has published: its committed records, decoded. */
    private static long changeEventsOn(String bootstrapServers, String dc) {
        return TopicRecords.readToEnd(bootstrapServers, "concord.changes." + dc, "read_committed").stream()
                .filter(r -> decode(r.value()) instanceof ChangeEvent).count();
    }

    /** An insert of {@code id} into accounts, as capture of a would publish it, from a real event of a's. */
    private static ChangeEvent zombieInsert(long id) {
        ChangeEvent template = (ChangeEvent) TopicRecords.read(clusterA(), "concord.changes.a", "read_committed",
                        records -> records.stream().anyMatch(r -> isAccount(r.value(), 1)), WAIT).stream()
                .map(r -> decode(r.value())).filter(e -> e instanceof ChangeEvent c
                        && c.getOp() == Operation.INSERT && idOf(c) == 1).findFirst().orElseThrow();
        ChangeEvent zombie = ChangeEvent.newBuilder(template).setEventId(template.getEventId() + "-zombie").build();
        for (List<Column> image : Arrays.asList(zombie.getKey(), zombie.getAfter())) {
            image.stream().filter(c -> c.getName().equals("id")).forEach(c -> c.setValue(new Datum(id)));
        }
        zombie.getSource().setXid(template.getSource().getXid() + 1_000_000);
        zombie.getSource().setCommitLsn(template.getSource().getCommitLsn() + (1L << 32));
        zombie.getSource().setLast(true);
        return zombie;
    }

    private static boolean isAccount(byte[] value, long id) {
        return decode(value) instanceof ChangeEvent event && event.getTable().getName().equals("accounts")
                && idOf(event) == id;
    }

    private static long idOf(ChangeEvent event) {
        return event.getKey().stream().filter(c -> c.getName().equals("id")).map(c -> (Long) c.getValue().getValue())
                .findFirst().orElse(-1L);
    }

    private static Object decode(byte[] value) {
        try {
            return CODEC.decode(value);
        } catch (EventDecodingException e) {
            return null;
        }
    }

    private static boolean containsValue(List<ConsumerRecord<byte[], byte[]>> records, byte[] value) {
        return records.stream().anyMatch(r -> Arrays.equals(r.value(), value));
    }

    private static void awaitConverged(String table, int rows) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(query("a", "SELECT count(*) FROM " + table)).isEqualTo(String.valueOf(rows));
            assertThat(checksum("b", table)).isEqualTo(checksum("a", table));
        });
    }

    /** Rows and conflicts of a DC, as one comparable string. */
    private static String state(String dc) throws Exception {
        return checksum(dc, "accounts") + " " + checksum(dc, "orders") + " "
                + query(dc, "SELECT count(*) || '/' || string_agg(id, ',' ORDER BY id) FROM concord.conflicts");
    }

    private static String checksum(String dc, String table) throws Exception {
        return query(dc, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t");
    }

    private static void sql(String dc, String sql) throws Exception {
        try (Connection connection = cluster.postgres(dc).connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(String dc, String sql) throws Exception {
        try (Connection connection = cluster.postgres(dc).connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
