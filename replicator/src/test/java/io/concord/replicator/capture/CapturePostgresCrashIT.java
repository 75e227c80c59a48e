package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.concord.event.ChangeEvent;
import io.concord.replicator.embedded.EmbeddedPostgresServer;
import io.concord.replicator.testing.ChangeTopicReader;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.ConcordProcess;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.types.PgTextCodec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL itself crashing while capture's last row states are committed but not yet on disk: capture commits
 * them asynchronously, so the crash loses them, and it must not have confirmed its slot past the changes they
 * version. After the restart capture reads those changes again, publishes them again with the same versions, and
 * stores their states.
 */
class CapturePostgresCrashIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final Path LOGS = Path.of(System.getProperty("java.io.tmpdir"), "capture-postgres-crash-it");
    /** Rows tried before giving up on catching capture's commit unflushed (the WAL writer may flush meanwhile). */
    private static final int ATTEMPTS = 5;

    private static Path config;
    private static ConcordProcess concord;

    @Test
    void aCrashThatLosesCapturesUnflushedCommitLosesNoVersion() throws Exception {
        assumeTrue(cluster.postgres("a") instanceof EmbeddedPostgresServer,
                "needs a PostgreSQL this test can crash (embedded)");
        EmbeddedPostgresServer postgres = (EmbeddedPostgresServer) cluster.postgres("a");
        sql("CREATE TABLE items (id int8 PRIMARY KEY, n int4 NOT NULL)");
        // The WAL writer flushes asynchronous commits every wal_writer_delay: at its maximum, 10 s, capture's commit
        // stays in shared memory long enough to crash before it reaches disk.
        sql("ALTER SYSTEM SET wal_writer_delay = '10s'");
        sql("SELECT pg_reload_conf()");
        config = TestConfigs.write(LOGS.resolve("concord-a.yaml"),
                TestConfigs.yaml(cluster, "a", List.of("b"), "  - name: items\n", null));
        concord = start("concord-1");
        String topic = "concord.changes.a";
        try (ChangeTopicReader reader = new ChangeTopicReader(cluster.kafka().bootstrapServers(), topic)) {
            long lost = -1;
            for (long id = 1; id <= ATTEMPTS && lost < 0; id++) {
                if (crashedBeforeCapturesCommitWasFlushed(postgres, reader, id)) {
                    lost = id;
                }
            }
            assertThat(lost).as("capture's commit caught unflushed, the slot not confirmed past its change, and"
                    + " lost: in one of %d tries", ATTEMPTS)
                    .isPositive();
            long row = lost;
            List<ChangeEvent> events = reader.readUntil(e -> published(e, row).size() >= 2, Duration.ofSeconds(90));
            List<ChangeEvent> twice = published(events, row);
            assertThat(twice).as("published before the crash, and again after it").hasSize(2);
            assertThat(twice.get(1).getEventId()).isEqualTo(twice.get(0).getEventId());
            assertThat(twice.get(1).getVersion()).as("the same version").isEqualTo(twice.get(0).getVersion());
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(row));
        } finally {
            concord.stop();
        }
    }

    /**
     * Inserts row {@code id} (committed synchronously) and waits until capture has committed its state. If that
     * commit is still unflushed and the slot not confirmed past the row, kills capture and then PostgreSQL, starts
     * PostgreSQL again and returns whether the state is gone, then starts capture again. False also where the WAL
     * writer flushed first: try another row.
     */
    private static boolean crashedBeforeCapturesCommitWasFlushed(EmbeddedPostgresServer postgres,
            ChangeTopicReader reader, long id) throws Exception {
        String beforeInsert = queryText("SELECT pg_current_wal_insert_lsn()::text");
        sql("INSERT INTO items VALUES (" + id + ", 0)");
        reader.readUntil(e -> published(e, id).size() == 1, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(id));
        // Confirming the insert before its state is on disk would be the bug: a crash can lose the state while the
        // slot's position, saved with the slot (a checkpoint, a move of its restart point), stays past the insert.
        boolean unflushed = queryLong("SELECT count(*) FROM pg_replication_slots WHERE confirmed_flush_lsn <= '"
                + beforeInsert + "' AND pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn()") == 1;
        if (!unflushed) {
            return false;
        }
        concord.kill(); // first, so that nothing stores the state again before it is looked for
        postgres.crash();
        postgres.start();
        boolean lost = !stored(id);
        concord = start("concord-" + (id + 1));
        return lost;
    }

    private static ConcordProcess start(String name) throws Exception {
        ConcordProcess process = ConcordProcess.start(LOGS.resolve(name + ".log"), 512, "run", "--config",
                config.toString());
        await().atMost(Duration.ofSeconds(60)).until(() -> process.log().contains("is active"));
        return process;
    }

    private static boolean stored(long id) throws SQLException {
        return queryLong("SELECT count(*) FROM concord.row_versions"
                + " WHERE table_name = 'public.items' AND row_key = '[\"" + id + "\"]'") == 1;
    }

    private static List<ChangeEvent> published(List<ChangeEvent> events, long id) {
        return events.stream().filter(e -> e.getTable().getName().equals("items"))
                .filter(e -> Long.parseLong(PgTextCodec.encode(e.getKey().get(0).getValue())) == id).toList();
    }

    private static void sql(String sql) throws SQLException {
        try (Connection connection = cluster.postgres("a").connect();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(String sql) throws SQLException {
        return Long.parseLong(queryText(sql));
    }

    private static String queryText(String sql) throws SQLException {
        try (Connection connection = cluster.postgres("a").connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
