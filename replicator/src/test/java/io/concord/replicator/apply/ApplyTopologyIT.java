package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.DeadLetter;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.DcSql;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.testing.TopicRecords;
import io.concord.replicator.types.PgTextCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two DCs running capture and apply in-process, as {@code concord run} runs them ({@link DcRuntime}):
 * replication both ways, a recorded conflict, dead letters, the loop filter, and a replay from offset 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyTopologyIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b");
    private static final DcSql db = new DcSql(cluster);

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TABLES = """
              - name: items
              - name: notes
                resolver: record
            """;

    private static final Map<String, ConcordConfig> configs = new HashMap<>();
    private static final Map<String, DcRuntime> runtimes = new HashMap<>();
    private static final List<AutoCloseable> closeLater = new ArrayList<>();
    private static final EventCodec codec = new EventCodec();
    private static ApplyService applyOfA;

    @BeforeAll
    static void start() throws Exception {
        for (String dc : List.of("a", "b")) {
            sql(dc, "CREATE TABLE items (id int8 PRIMARY KEY, name text, qty int4);"
                    + "CREATE TABLE notes (id int4 PRIMARY KEY, body text)");
            ConcordConfig config = TestConfigs.parse(TestConfigs.yaml(cluster, dc, List.of(dc.equals("a") ? "b" : "a"),
                    TABLES, null));
            configs.put(dc, config);
            DcRuntimes.install(cluster, config);
        }
        for (String dc : List.of("a", "b")) {
            runtimes.put(dc, DcRuntime.start(configs.get(dc)));
        }
        applyOfA = runtimes.get("a").apply();
        DcRuntimes.awaitRunning(runtimes.values());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
        runtimes.values().forEach(DcRuntime::close);
    }

    @Test
    @Order(1)
    void nonConflictingWritesOnBothSidesReplicateEverywhere() throws Exception {
        sql("a", "INSERT INTO items VALUES (1, 'a1', 1), (2, 'a2', 2), (3, 'a3', 3)");
        sql("b", "INSERT INTO items VALUES (11, 'b11', 11), (12, 'b12', 12)");
        sql("a", "UPDATE items SET qty = 100 WHERE id = 1");
        sql("b", "DELETE FROM items WHERE id = 12");
        sql("b", "INSERT INTO items SELECT g, 'bulk', g FROM generate_series(1000, 2999) g"); // > one batch

        awaitConverged("items", "true", "1:a1:100 2:a2:2 3:a3:3 11:b11:11", 2_004);
        assertThat(query("a", "SELECT count(*) FROM concord.apply_progress WHERE topic = 'concord.changes.b'"))
                .isEqualTo("1");
    }

    @Test
    @Order(8)
    void heartbeatsOfThePeerAreRecordedWithTheirLag() throws Exception {
        String status = "SELECT peer || ' ' || (heartbeat_lsn > 0) || ' ' || (lag_millis BETWEEN 0 AND 60000) || ' '"
                + " || (last_heartbeat_at > now() - interval '1 minute') FROM concord.peer_status";
        await().atMost(WAIT).until(() -> "b true true true".equals(query("a", status)));
        await().atMost(WAIT).until(() -> "a true true true".equals(query("b", status)));
        String updated = "SELECT updated_at::text FROM concord.peer_status WHERE peer = 'b'";
        String first = query("a", updated);
        await().atMost(WAIT).until(() -> !first.equals(query("a", updated)));
    }

    @Test
    @Order(2)
    void aConcurrentUpdateIsRecordedUnderTheSameIdInBothDcsAndConverges() throws Exception {
        sql("a", "INSERT INTO notes VALUES (1, 'base')");
        await().atMost(WAIT).until(() -> "base".equals(query("b", "SELECT body FROM notes WHERE id = 1")));
        try (Connection local = cluster.postgres("b").connect(); Statement statement = local.createStatement()) {
            local.setAutoCommit(false);
            statement.execute("UPDATE notes SET body = 'from b' WHERE id = 1");
            // a's update reaches b's applier, which waits for this row lock: neither saw the other's write.
            sql("a", "UPDATE notes SET body = 'from a' WHERE id = 1");
            await().atMost(WAIT).until(() -> Integer.parseInt(query("b",
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) > 0);
            local.commit();
        }
        String conflict = "SELECT id FROM concord.conflicts WHERE table_name = 'public.notes'"
                + " AND primary_key->>'id' = '1'";
        await().atMost(WAIT).until(() -> query("a", conflict) != null && query("b", conflict) != null);
        assertThat(query("a", conflict)).isEqualTo(query("b", conflict));
        awaitConverged("notes", "id = 1", null, 1);
    }

    @Test
    @Order(3)
    void garbageAndAnUnknownTableBecomeDeadLettersAndLaterEventsStillApply() throws Exception {
        sql("b", "INSERT INTO items VALUES (20, 'template', 20)");
        awaitConverged("items", "id = 20", "20:template:20", 1);
        ChangeEvent template = lastEventOf("b", 20);
        ChangeEvent unknown = ChangeEvent.newBuilder(template).setEventId(template.getEventId() + "-unknown").build();
        unknown.getTable().setName("nope");
        unknown.getSource().setLast(true);
        publish("concord.changes.b", "garbage".getBytes(StandardCharsets.UTF_8), "not an event at all".getBytes(
                StandardCharsets.UTF_8));
        publish("concord.changes.b", null, codec.encode(unknown));
        sql("b", "INSERT INTO items VALUES (21, 'after the garbage', 21)");

        awaitConverged("items", "id = 21", "21:after the garbage:21", 1);
        assertThat(query("a", "SELECT string_agg(error_class || ': ' || reason, ' | ' ORDER BY source_offset)"
                + " FROM concord.dead_letters WHERE source_topic = 'concord.changes.b'"))
                .contains("DECODE: record concord.changes.b-0@", "not an Avro single-object message")
                .contains("SCHEMA: table public.nope is not replicated by this DC");
        assertThat(query("a", "SELECT encode(record_key, 'escape') FROM concord.dead_letters"
                + " WHERE error_class = 'DECODE'")).isEqualTo("garbage");
        DeadLetter published = firstDeadLetterOn("concord.dlq.a");
        assertThat(published.getDetectedIn()).isEqualTo("a");
        assertThat(published.getErrorClass()).isEqualTo("DECODE");
        assertThat(published.getSourceTopic()).isEqualTo("concord.changes.b");
        assertThat(StandardCharsets.UTF_8.decode(published.getPayload()).toString()).isEqualTo("not an event at all");
    }

    @Test
    @Order(4)
    void anEventWhoseOriginIsTheReceivingDcIsDropped() throws Exception {
        sql("b", "INSERT INTO items VALUES (30, 'template', 30)");
        awaitConverged("items", "id = 30", "30:template:30", 1);
        ChangeEvent template = lastEventOf("b", 30);
        ChangeEvent looped = ChangeEvent.newBuilder(template).setEventId(template.getEventId() + "-looped")
                .setOrigin("a").build();
        long dropped = runtimes.get("a").apply().metrics().loopsDropped();
        publish("concord.changes.b", null, codec.encode(withId(looped, 31)));
        sql("b", "INSERT INTO items VALUES (32, 'after the loop', 32)");

        awaitConverged("items", "id = 32", "32:after the loop:32", 1);
        assertThat(runtimes.get("a").apply().metrics().loopsDropped()).isGreaterThan(dropped);
        assertThat(query("a", "SELECT count(*) FROM items WHERE id = 31")).isEqualTo("0");
    }

    /** In a mesh only b's capture publishes on b's topic, and only b's own writes. */
    @Test
    @Order(5)
    void eventsThatDoNotBelongOnThePeersTopicBecomeDeadLetters() throws Exception {
        sql("b", "INSERT INTO items VALUES (35, 'template', 35)");
        awaitConverged("items", "id = 35", "35:template:35", 1);
        ChangeEvent template = lastEventOf("b", 35);
        ChangeEvent otherPublisher = ChangeEvent.newBuilder(template).setEventId("x/forged-publisher")
                .setPublishedBy("x").build();
        ChangeEvent otherOrigin = ChangeEvent.newBuilder(template).setEventId("c/forged-origin").setOrigin("c").build();
        publish("concord.changes.b", null, codec.encode(withId(otherPublisher, 36)));
        publish("concord.changes.b", null, codec.encode(withId(otherOrigin, 37)));
        sql("b", "INSERT INTO items VALUES (38, 'after the forgeries', 38)");

        awaitConverged("items", "id = 38", "38:after the forgeries:38", 1);
        assertThat(query("a", "SELECT count(*) FROM items WHERE id IN (36, 37)")).isEqualTo("0");
        assertThat(query("a", "SELECT string_agg(error_class || ': ' || reason, ' | ' ORDER BY source_offset)"
                + " FROM concord.dead_letters WHERE error_class = 'PROVENANCE'"))
                .isEqualTo("PROVENANCE: event x/forged-publisher on concord.changes.b says it was published by 'x';"
                        + " only DC b publishes there | PROVENANCE: event c/forged-origin on concord.changes.b has"
                        + " origin 'c', but DC b forwards nothing in a mesh topology: only its own writes belong there");
    }

    @Test
    @Order(6)
    void eventsStreamsCommittedButPostgresNeverGotAreReadAgainFromTheApplyProgress() throws Exception {
        String progress = "SELECT next_offset FROM concord.apply_progress WHERE topic = 'concord.changes.b'";
        restartApplyOfA(admin -> {
            sql("b", "INSERT INTO items VALUES (40, 'while a was away', 40), (41, 'while a was away', 41)");
            long end = lastOffset("concord.changes.b", value -> isRow(value, 41));
            // As if Streams had committed these records while they sat in the buffer, and then crashed.
            resetGroupOfA(admin, end + 1);
            assertThat(Long.parseLong(query("a", progress))).isLessThanOrEqualTo(end);
        });
        // The next record (a heartbeat at the latest) makes the processor read the gap first.
        awaitConverged("items", "id BETWEEN 40 AND 41", "40:while a was away:40 41:while a was away:41", 2);
    }

    @Test
    @Order(7)
    void replayingFromOffsetZeroChangesNothing() throws Exception {
        String before = state("a");
        String progress = "SELECT next_offset FROM concord.apply_progress WHERE topic = 'concord.changes.b'";
        long applied = Long.parseLong(query("a", progress));
        ApplyService again = restartApplyOfA(admin -> {
            sql("a", "DELETE FROM concord.apply_progress");
            resetGroupOfA(admin, 0);
        });

        await().atMost(WAIT).until(() -> query("a", progress) != null && Long.parseLong(query("a", progress)) >= applied);
        assertThat(again.metrics().batches()).as("replayed through the appliers").isPositive();
        assertThat(again.metrics().applied()).as("everything was there already").isZero();
        assertThat(state("a")).isEqualTo(before);
    }

    /** Stops a's apply, does {@code meanwhile}, starts a new one (as a restarted {@code concord run} would). */
    private static ApplyService restartApplyOfA(AdminWork meanwhile) throws Exception {
        applyOfA.close();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafka().bootstrapServers()))) {
            meanwhile.run(admin);
        }
        applyOfA = new ApplyService(configs.get("a"));
        closeLater.add(applyOfA);
        applyOfA.start();
        return applyOfA;
    }

    private interface AdminWork {
        void run(Admin admin) throws Exception;
    }

    private static void resetGroupOfA(Admin admin, long offset) {
        String group = ApplyTopology.applicationId(configs.get("a"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> admin.alterConsumerGroupOffsets(group,
                Map.of(new TopicPartition("concord.changes.b", 0), new OffsetAndMetadata(offset))).all()
                .get(10, TimeUnit.SECONDS));
    }

    /** Rows, conflicts and dead letters of a DC, as one comparable string. */
    private static String state(String dc) throws Exception {
        return checksum(dc, "items", "true") + " " + checksum(dc, "notes", "true") + " "
                + query(dc, "SELECT count(*) || '/' || string_agg(id, ',' ORDER BY id) FROM concord.conflicts") + " "
                + query(dc, "SELECT count(*) FROM concord.dead_letters");
    }

    /** Waits until the rows match in both DCs (and, if given, read {@code expected} in a), {@code rows} of them. */
    private static void awaitConverged(String table, String where, String expected, int rows) {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(query("a", "SELECT count(*) FROM " + table + " WHERE " + where)).isEqualTo(String.valueOf(rows));
            assertThat(checksum("a", table, where)).isEqualTo(checksum("b", table, where));
            if (expected != null) {
                assertThat(query("a", "SELECT string_agg(id || ':' || name || ':' || qty, ' ' ORDER BY id) FROM "
                        + table + " WHERE " + where + " AND id < 1000")).isEqualTo(expected);
            }
        });
    }

    /** The last event of row {@code id} on the DC's topic (which may hold garbage, skipped here). */
    private static ChangeEvent lastEventOf(String dc, long id) throws Exception {
        ChangeEvent found = null;
        for (byte[] value : readAll("concord.changes." + dc, values -> values.stream().anyMatch(v -> isRow(v, id)))) {
            if (isRow(value, id)) {
                found = (ChangeEvent) codec.decode(value);
            }
        }
        return found;
    }

    /** The offset of the last record on partition 0 of {@code topic} matching {@code which}, once there is one. */
    private static long lastOffset(String topic, Predicate<byte[]> which) {
        List<ConsumerRecord<byte[], byte[]>> records = readRecords(topic, r -> r.stream().anyMatch(x -> which.test(x.value())));
        return records.stream().filter(r -> which.test(r.value())).mapToLong(ConsumerRecord::offset).max().orElseThrow();
    }

    private static boolean isRow(byte[] value, long id) {
        try {
            return codec.decode(value) instanceof ChangeEvent event && idOf(event) == id;
        } catch (EventDecodingException e) {
            return false;
        }
    }

    private static ChangeEvent withId(ChangeEvent event, long id) {
        ChangeEvent copy = ChangeEvent.newBuilder(event).build();
        for (List<Column> image : List.of(copy.getKey(), copy.getAfter())) {
            image.stream().filter(c -> c.getName().equals("id")).forEach(c -> c.setValue(new Datum(id)));
        }
        return copy;
    }

    private static long idOf(ChangeEvent event) {
        return Long.parseLong(PgTextCodec.encode(event.getKey().get(0).getValue()));
    }

    private static void publish(String topic, byte[] key, byte[] value) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static DeadLetter firstDeadLetterOn(String topic) throws Exception {
        return (DeadLetter) codec.decode(readAll(topic, values -> !values.isEmpty()).get(0));
    }

    /** The values on partition 0 of {@code topic} from the start, once {@code enough} holds for them. */
    private static List<byte[]> readAll(String topic, Predicate<List<byte[]>> enough) {
        return readRecords(topic, records -> enough.test(records.stream().map(ConsumerRecord::value).toList()))
                .stream().map(ConsumerRecord::value).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readRecords(String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> enough) {
        return TopicRecords.read(cluster.kafka().bootstrapServers(), topic, enough, WAIT);
    }

    private static String checksum(String dc, String table, String where) throws Exception {
        return db.checksum(dc, table, where);
    }

    static void sql(String dc, String sql) throws Exception {
        db.sql(dc, sql);
    }

    static String query(String dc, String sql) throws Exception {
        return db.query(dc, sql);
    }
}
