package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.concord.event.ChangeEvent;
import io.concord.replicator.testing.ChangeTopicReader;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.ConcordProcess;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.types.PgTextCodec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Capture as a separate process, killed with SIGKILL at the worst moments: mid-stream, while a
 * standby waits, and under a 256 MiB heap with a 200,000-row transaction. Nothing committed may
 * be missing from Kafka afterwards, and an event published twice must carry the same version.
 */
class CaptureCrashIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static Path config;
    private static final Path LOGS = Path.of(System.getProperty("java.io.tmpdir"), "capture-crash-it");

    @BeforeAll
    static void setUp() throws Exception {
        sql("CREATE TABLE items (id int8 PRIMARY KEY, n int4 NOT NULL, note text)");
        config = TestConfigs.write(LOGS.resolve("concord-a.yaml"),
                TestConfigs.yaml(cluster, "a", List.of("b"), "  - name: items\n", null));
    }

    @Test
    void killedMidStreamItLosesNothingAndRepublishesIdentically() throws Exception {
        ConcordProcess first = run("mid-stream-1");
        Thread writer = writer(1, 3_000);
        try (ChangeTopicReader reader = reader()) {
            reader.readUntil(events -> events.size() >= 500, Duration.ofSeconds(60));
            first.kill();
            ConcordProcess second = run("mid-stream-2");
            writer.join(120_000);
            try {
                List<ChangeEvent> events = reader.readUntil(e -> covered(e, 1, 3_000), Duration.ofSeconds(90));
                assertThat(covered(events, 1, 3_000)).as("every committed row's last write is on Kafka").isTrue();
                assertSameVersionWhenRepublished(events);
            } finally {
                second.stop();
            }
        }
    }

    @Test
    void dyingAfterKafkaAckedButBeforePostgresRecordedRepublishesTheSameVersions() throws Exception {
        ConcordProcess doomed = ConcordProcess.start(LOGS.resolve("crash-after-publish.log"), 512,
                List.of("-Dconcord.crash-at=capture.after-publish"), "run", "--config", config.toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> doomed.log().contains("is active"));
        sql("INSERT INTO items SELECT i, 0, 'batch' FROM generate_series(20001, 20100) i");
        await().atMost(Duration.ofSeconds(30)).until(() -> !doomed.isAlive());
        assertThat(doomed.log()).contains("crash point capture.after-publish reached");
        long beforeCrash;
        try (ChangeTopicReader reader = reader()) {
            // The first batch may end inside the transaction (its read window, or a pause in the walsender's
            // sending): the crash then came after publishing only part of it.
            reader.readUntil(e -> e.stream().anyMatch(x -> id(x) > 20_000), Duration.ofSeconds(30));
            // One Kafka transaction: the rest of it is visible with the first, a poll or two later.
            beforeCrash = reader.readUntil(e -> false, Duration.ofSeconds(1)).stream().filter(x -> id(x) > 20_000)
                    .count();
        }
        assertThat(beforeCrash).as("published before the crash").isBetween(1L, 100L);

        ConcordProcess second = run("crash-after-publish-2");
        try (ChangeTopicReader reader = reader()) {
            List<ChangeEvent> events = reader.readUntil(
                    e -> e.stream().filter(x -> id(x) > 20_000).count() >= beforeCrash + 100, Duration.ofSeconds(60));
            List<ChangeEvent> batch = events.stream().filter(x -> id(x) > 20_000).toList();
            assertThat(batch).as("what was published before the crash, then the whole transaction again")
                    .hasSize((int) beforeCrash + 100);
            assertThat(batch.stream().map(ChangeEvent::getEventId).distinct().count()).isEqualTo(100);
            assertSameVersionWhenRepublished(batch);
        } finally {
            second.stop();
        }
    }

    @Test
    void aStandbyTakesOverWithin15SecondsOfTheActiveDying() throws Exception {
        ConcordProcess one = run("standby-1");
        await().atMost(Duration.ofSeconds(60)).until(() -> one.log().contains("is active"));
        ConcordProcess two = run("standby-2");
        await().atMost(Duration.ofSeconds(30)).until(() -> two.log().contains("standby"));
        Thread writer = writer(10_001, 2_000);
        try (ChangeTopicReader reader = reader()) {
            reader.readUntil(events -> events.stream().anyMatch(e -> id(e) > 10_200), Duration.ofSeconds(60));
            one.kill();
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).until(() -> two.log().contains("is active"));
            long takeoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("standby took over %d ms after the active instance was killed%n", takeoverMillis);
            writer.join(120_000);
            List<ChangeEvent> events = reader.readUntil(e -> covered(e, 10_001, 2_000), Duration.ofSeconds(90));
            assertThat(covered(events, 10_001, 2_000)).isTrue();
            assertSameVersionWhenRepublished(events);
        } finally {
            two.stop();
        }
    }

    @Test
    void aTransactionOf200000RowsStreamsThroughA256MiBHeap() throws Exception {
        sql("CREATE TABLE bulk (id int8 PRIMARY KEY, payload text)");
        Path bulkConfig = TestConfigs.write(LOGS.resolve("concord-bulk.yaml"), TestConfigs.yaml(cluster, "a",
                List.of("b"), "  - name: items\n  - name: bulk\n", null));
        ConcordProcess process = ConcordProcess.start(LOGS.resolve("bulk.log"), 256, "run", "--config",
                bulkConfig.toString());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> process.log().contains("is active"));
            sql("INSERT INTO bulk SELECT i, repeat('x', 100) FROM generate_series(1, 200000) i");
            long start = System.nanoTime();
            try (ChangeTopicReader reader = reader()) {
                List<ChangeEvent> events = reader.readUntil(
                        e -> e.stream().filter(x -> x.getTable().getName().equals("bulk")).count() >= 200_000,
                        Duration.ofSeconds(240));
                long bulk = events.stream().filter(x -> x.getTable().getName().equals("bulk")).count();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("200,000-row transaction: %d events on Kafka in %.1f s (%.0f events/s, -Xmx256m)%n",
                        bulk, seconds, bulk / seconds);
                assertThat(bulk).isEqualTo(200_000);
                assertThat(events.stream().filter(x -> x.getTable().getName().equals("bulk"))
                        .filter(x -> x.getSource().getLast()).count()).as("one last event").isEqualTo(1);
            }
            assertThat(process.isAlive()).isTrue();
            assertThat(process.log()).doesNotContain("OutOfMemoryError");
        } finally {
            process.stop();
        }
    }

    /** Inserts rows first..first+count-1 and updates each once, one transaction per statement. */
    private static Thread writer(long first, int count) {
        Thread thread = new Thread(() -> {
            try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
                for (long id = first; id < first + count; id++) {
                    statement.execute("INSERT INTO items VALUES (" + id + ", 0, 'new')");
                    statement.execute("UPDATE items SET n = 1 WHERE id = " + id);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer");
        thread.start();
        return thread;
    }

    /** Whether every row in the range has its second write (vector a:2) on Kafka. */
    private static boolean covered(List<ChangeEvent> events, long first, int count) {
        java.util.Set<Long> updated = new java.util.HashSet<>();
        for (ChangeEvent event : events) {
            if (event.getTable().getName().equals("items") && Long.valueOf(2L).equals(event.getVersion().getVector().get("a"))) {
                updated.add(id(event));
            }
        }
        for (long id = first; id < first + count; id++) {
            if (!updated.contains(id)) {
                return false;
            }
        }
        return true;
    }

    private static void assertSameVersionWhenRepublished(List<ChangeEvent> events) {
        Map<String, ChangeEvent> byId = new HashMap<>();
        int duplicates = 0;
        for (ChangeEvent event : events) {
            ChangeEvent first = byId.putIfAbsent(event.getEventId(), event);
            if (first != null) {
                duplicates++;
                assertThat(event.getVersion()).as("republished %s", event.getEventId()).isEqualTo(first.getVersion());
                assertThat(event.getAfter()).isEqualTo(first.getAfter());
            }
        }
        System.out.printf("%d events, %d republished duplicates, all identical%n", events.size(), duplicates);
    }

    private static long id(ChangeEvent event) {
        return Long.parseLong(PgTextCodec.encode(event.getKey().get(0).getValue()));
    }

    private static ConcordProcess run(String name) throws Exception {
        return ConcordProcess.start(LOGS.resolve(name + ".log"), 512, "run", "--config", config.toString());
    }

    private static ChangeTopicReader reader() {
        return new ChangeTopicReader(cluster.kafka().bootstrapServers(), "concord.changes.a");
    }

    private static void sql(String sql) throws Exception {
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
