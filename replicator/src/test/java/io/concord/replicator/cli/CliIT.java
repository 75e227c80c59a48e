package io.concord.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code concord install | check | uninstall | run} as a user runs them, in-process, against a
 * real PostgreSQL where Concord connects as a role of its own with a password (not as the
 * fixture's superuser), each test in a database of its own.
 */
class CliIT {

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final String ROLE = "concord_cli";
    private static final String PASSWORD = "Qx7-concord-Secret-41z";
    private static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-kK93";
    /** What a test prints must never contain these, in the commands' output or in the logs. */
    private static final List<String> SECRETS = List.of(PASSWORD, WRONG_PASSWORD);
    private static final Map<String, String> ENVIRONMENT = Map.of("CONCORD_PG_PASSWORD", PASSWORD);
    private static int databases;

    @TempDir
    Path dir;
    private String db;

    /**
     * Passwords are checked for every role but the fixture's superuser (the embedded server trusts
     * every local connection otherwise), so a wrong one fails as in production.
     */
    @BeforeAll
    static void passwordAuthentication() throws SQLException {
        PostgresServer pg = cluster.postgres("a");
        try (Connection connection = pg.connect(); Statement statement = connection.createStatement()) {
            String hbaFile = single(statement, "SHOW hba_file");
            statement.execute("COPY (VALUES ('local all all trust'), ('host all " + pg.user() + " all trust'),"
                    + " ('host replication " + pg.user() + " all trust'), ('host all all all scram-sha-256'),"
                    + " ('host replication all all scram-sha-256')) TO '" + hbaFile + "'");
            assertThat(single(statement, "SELECT pg_reload_conf()")).isEqualTo("t");
            assertThat(single(statement, "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL")).isEqualTo("0");
            statement.execute("CREATE ROLE " + ROLE + " LOGIN REPLICATION PASSWORD '" + PASSWORD + "'");
        }
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        db = "cli_" + ++databases;
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + db + " OWNER " + ROLE);
        }
        // What the check asks of a role that is no superuser (functions are per database).
        try (Connection connection = cluster.postgres("a").connect(db); Statement statement = connection.createStatement()) {
            statement.execute("GRANT EXECUTE ON FUNCTION pg_replication_origin_create(text),"
                    + " pg_replication_origin_drop(text) TO " + ROLE);
        }
        try (Connection connection = DriverManager.getConnection(cluster.postgres("a").jdbcUrl(db), ROLE, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE accounts (id int8 PRIMARY KEY, owner text);"
                    + "CREATE TABLE notes (id int4 PRIMARY KEY, body text, likes int8);"
                    + "CREATE TABLE logbook (line text)");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection connection = cluster.postgres("a").connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db + "'");
            statement.execute("SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin");
            statement.execute("DROP DATABASE " + db + " WITH (FORCE)");
        }
    }

    @Test
    void installPrintsWhatItDidAndExitsZero() throws Exception {
        Path config = config("${CONCORD_PG_PASSWORD}", "  - name: accounts\n");

        CliRun run = concord("install", "--config", config.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "schema concord is at version 1",
                "created publication concord over 1 table",
                "created logical replication slot concord_a (pgoutput)",
                "created replication origin concord_b", "created replication origin concord_b#1",
                "DC a is installed");
        assertThat(run.err()).isEmpty();
        assertThat(run.logs()).as("said once, not logged as well").doesNotContain("created");
        assertThat(slots()).containsExactly("concord_a");

        CliRun again = concord("install", "--config", config.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).doesNotContain("created");
    }

    @Test
    void checkOnAReadyDatabaseSaysSoAndExitsZero() throws Exception {
        CliRun run = concord("check", "--config", config("${CONCORD_PG_PASSWORD}", "  - name: accounts\n").toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("config ok: ", "password=****", "database ok: ready for Concord");
    }

    @Test
    void checkPrintsEveryProblemWithItsFixAndExitsOne() throws Exception {
        Path config = config(PASSWORD, """
                  - name: accounts
                  - name: logbook
                  - name: notes
                    resolver: merge
                  - name: missing
                """);

        CliRun check = concord("check", "--config", config.toString());

        assertThat(check.exit()).as(check.toString()).isEqualTo(1);
        assertThat(check.out()).contains("""
                table public.logbook: has no primary key and no key is configured
                    fix: add a primary key, or list its key columns under key: in concord.yaml
                table public.logbook: has no primary key, so it needs REPLICA IDENTITY FULL
                    fix: ALTER TABLE "public"."logbook" REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)
                table public.notes: its resolver (merge) needs before-images, REPLICA IDENTITY is not FULL
                    fix: ALTER TABLE "public"."notes" REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)
                table public.missing: does not exist
                    fix: create it, or remove it from tables in concord.yaml
                """).doesNotContain("database ok");

        CliRun install = concord("install", "--config", config.toString());
        assertThat(install.exit()).isEqualTo(2);
        assertThat(install.err()).startsWith("error: the database is not ready for Concord:\n")
                .contains("table public.missing: does not exist").doesNotContain("\tat ");
        assertThat(slots()).isEmpty();
    }

    @Test
    void uninstallWithoutYesOnlySaysWhatItWouldRemoveAndWithYesRemovesIt() throws Exception {
        Path config = config(PASSWORD, "  - name: accounts\n");
        assertThat(concord("install", "--config", config.toString()).exit()).isZero();

        CliRun dryRun = concord("uninstall", "--config", config.toString());
        assertThat(dryRun.exit()).isEqualTo(1);
        assertThat(dryRun.out()).contains("replication slot concord_a", "publication concord",
                "replication origins of peers [b]", "Run again with --yes to do it.");
        assertThat(slots()).containsExactly("concord_a");
        assertThat(query("SELECT count(*) FROM concord.schema_version")).containsExactly("1");

        CliRun run = concord("uninstall", "--config", config.toString(), "--yes");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactly("dropped slot concord_a", "dropped publication concord",
                "dropped replication origin concord_b", "dropped replication origin concord_b#1", "dropped schema concord");
        assertThat(slots()).isEmpty();
        assertThat(query("SELECT nspname FROM pg_namespace WHERE nspname = 'concord'")).isEmpty();
        assertThat(query("SELECT pubname FROM pg_publication")).isEmpty();
        assertThat(query("SELECT roname FROM pg_replication_origin")).isEmpty();

        CliRun again = concord("uninstall", "--config", config.toString(), "--yes");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo("nothing to remove: DC a is not installed in this database\n");
    }

    @Test
    void aConfigWithErrorsListsEachWithItsKeyAndLineAndExitsTwo() throws Exception {
        Path config = TestConfigs.write(dir.resolve("broken.yaml"), """
                dc: Paris-1
                postgres:
                  user: concord_cli
                  password: ${CONCORD_UNSET_PASSWORD}
                kafka:
                  bootstrap-servers: localhost:9092
                  acks: all
                peers: [b]
                tables:
                  - name: accounts
                    resolver: {name: priority, ordre: [a, b]}
                """);

        for (String command : List.of("check", "install", "uninstall --yes", "run")) {
            CliRun run = concord(withConfig(command, config));
            assertThat(run.exit()).as(command + ": " + run).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err().lines()).as(command).containsExactly(
                    "error: " + config + ": 6 config errors:",
                    "  dc (line 1): 'Paris-1' is not valid; expected a lowercase id: a letter, then letters, digits or '_' (at most 31)",
                    "  postgres.url (line 3): expected a jdbc:postgresql:// URL",
                    "  postgres.password (line 4): ${CONCORD_UNSET_PASSWORD} is not valid; expected environment variable CONCORD_UNSET_PASSWORD to be set",
                    "  kafka.acks (line 7): unknown key 'acks' is not valid; expected one of bootstrap-servers, properties",
                    "  line 11: tables[0].resolver.order: missing, expected a list of strings, e.g. [a, b]",
                    "  line 11: tables[0].resolver.ordre: unknown option (known: record, update-delete, order)");
        }
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Path missing = dir.resolve("nowhere.yaml");

        CliRun run = concord("check", "--config", missing.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + missing + ": no such file\n");
    }

    @Test
    void helpOfEveryCommandShowsAnExampleAndExitsZero() {
        CliRun top = concord("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Usage: concord", "install", "uninstall", "check", "run", "Examples:");
        for (String command : List.of("install", "uninstall", "check", "run")) {
            CliRun run = concord(command, "--help");
            assertThat(run.exit()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: concord " + command,
                    "--config=FILE   This DC's concord.yaml (secrets as ${ENV_VAR}).", "Example:",
                    "  concord " + command + " --config concord.yaml");
        }
    }

    @Test
    void aWrongPasswordIsReportedWithTheUrlAndUserButNotThePassword() throws Exception {
        Path config = config(WRONG_PASSWORD, "  - name: accounts\n");
        String url = cluster.postgres("a").jdbcUrl(db);

        for (String command : List.of("check", "install", "uninstall --yes", "run")) {
            CliRun run = concord(withConfig(command, config));
            assertThat(run.exit()).as(command + ": " + run).isEqualTo(2);
            assertThat(run.err()).as(command)
                    .startsWith("error: cannot connect to PostgreSQL at " + url + " as " + ROLE + ": ")
                    .contains("password authentication failed for user \"" + ROLE + "\"");
            if (command.equals("run")) {
                assertThat(run.logs()).as("logs are captured, so the password check covers them")
                        .contains("effective config: ", "password=****");
            }
        }
    }

    private Path config(String password, String tables) throws Exception {
        return TestConfigs.write(dir.resolve("concord.yaml"), """
                dc: a
                postgres:
                  url: %s
                  user: %s
                  password: %s
                kafka:
                  bootstrap-servers: %s
                peers: [b]
                tables:
                %s""".formatted(cluster.postgres("a").jdbcUrl(db), ROLE, password,
                cluster.kafka().bootstrapServers(), tables));
    }

    private static String[] withConfig(String command, Path config) {
        return (command + " --config " + config).split(" ");
    }

    /** One command line: its exit code, what it printed, and what was logged meanwhile. */
    private static CliRun concord(String... args) {
        return CliRun.concord(ENVIRONMENT, SECRETS, args);
    }

    private List<String> slots() throws SQLException {
        return query("SELECT slot_name FROM pg_replication_slots");
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = cluster.postgres("a").connect(db); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
