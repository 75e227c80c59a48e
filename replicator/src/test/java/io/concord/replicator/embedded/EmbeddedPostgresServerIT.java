package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An embedded PostgreSQL 17 decodes its WAL with pgoutput, keeps its data and port across a restart, and leaves nothing behind. */
class EmbeddedPostgresServerIT {

    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start("it");
    }

    @AfterAll
    static void closePostgres() {
        long pid = postgres.postmasterPid().orElseThrow();
        Path directory = postgres.dataDirectory();
        postgres.close();
        assertThat(ProcessHandle.of(pid).filter(ProcessLiveness::isRunning)).as("postmaster %d after close", pid).isEmpty();
        assertThat(directory).doesNotExist();
    }

    @Test
    void runsWithTheSettingsLogicalReplicationNeeds() throws SQLException {
        assertThat(show("wal_level")).isEqualTo("logical");
        assertThat(show("max_replication_slots")).isEqualTo("20");
        assertThat(show("max_wal_senders")).isEqualTo("20");
        assertThat(show("track_commit_timestamp")).isEqualTo("on");
        assertThat(show("max_logical_replication_workers")).isEqualTo("8");
        assertThat(show("fsync")).as("fsync overrides zonky's -F").isEqualTo("on");
        assertThat(show("synchronous_commit")).as("overrides zonky's default").isEqualTo("on");
        assertThat(Integer.parseInt(show("server_version_num"))).isGreaterThanOrEqualTo(170000);
    }

    @Test
    void createsDatabasesReachableThroughTheirUrl() throws SQLException {
        postgres.createDatabase("dc_a");

        try (Connection connection = postgres.connect("dc_a")) {
            assertThat(connection.getCatalog()).isEqualTo("dc_a");
        }
        assertThat(postgres.jdbcUrl("dc_a")).isEqualTo("jdbc:postgresql://localhost:" + postgres.port() + "/dc_a");
        assertThat(postgres.jdbcUrl()).endsWith("/postgres");
    }

    @Test
    void decodesChangesWithPgoutputThroughALogicalSlot() throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE decoded (id int PRIMARY KEY, name text)");
            statement.execute("CREATE PUBLICATION decoded_pub FOR TABLE decoded");
            statement.execute("SELECT pg_create_logical_replication_slot('decoded_slot', 'pgoutput')");
            statement.execute("INSERT INTO decoded VALUES (1, 'one'), (2, 'two')");

            List<Character> messageTypes = new ArrayList<>();
            try (ResultSet changes = statement.executeQuery("SELECT data FROM pg_logical_slot_get_binary_changes("
                    + "'decoded_slot', NULL, NULL, 'proto_version', '1', 'publication_names', 'decoded_pub')")) {
                while (changes.next()) {
                    messageTypes.add((char) changes.getBytes(1)[0]);
                }
            }
            statement.execute("SELECT pg_drop_replication_slot('decoded_slot')");

            // BEGIN, RELATION, INSERT, INSERT, COMMIT: the pgoutput protocol's message bytes.
            assertThat(messageTypes).containsExactly('B', 'R', 'I', 'I', 'C');
        }
    }

    @Test
    void keepsDataAndPortAcrossStopAndStart() throws SQLException {
        String urlBefore = postgres.jdbcUrl();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survivor (id int PRIMARY KEY)");
            statement.execute("INSERT INTO survivor SELECT generate_series(1, 1000)");
        }
        long pidBefore = postgres.postmasterPid().orElseThrow();

        postgres.stop();
        assertThat(postgres.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pidBefore).filter(ProcessLiveness::isRunning)).isEmpty();
        postgres.start();

        assertThat(postgres.jdbcUrl()).isEqualTo(urlBefore);
        assertThat(postgres.postmasterPid().orElseThrow()).isNotEqualTo(pidBefore);
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM survivor")) {
            count.next();
            assertThat(count.getLong(1)).isEqualTo(1000);
        }
    }

    private static String show(String setting) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet value = statement.executeQuery("SHOW " + setting)) {
            value.next();
            return value.getString(1);
        }
    }
}
