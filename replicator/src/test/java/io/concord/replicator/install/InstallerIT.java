package io.concord.replicator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import io.concord.replicator.capture.Lsn;
import io.concord.replicator.capture.PgOutputStream;
import io.concord.replicator.capture.WalStreamOptions;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.TestConfigs;
import io.concord.replicator.types.JdbcTypeCatalog;
import io.concord.replicator.types.TypeRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Installer} and {@link PrerequisiteCheck} against a real PostgreSQL 17, each test in a
 * database of its own.
 *
 * <p>Not tested: {@code wal_level} other than {@code logical}. It takes a server restart, and the
 * fixture's server runs with {@code wal_level=logical} for every IT; the check is a plain
 * comparison of {@code current_setting('wal_level')}.
 */
class InstallerIT {

    /** People's decisions on conflicts replicate like a user table, so they are in every publication. */
    private static final String DECISIONS = "concord.conflict_decisions";

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a");

    private static final String APP_ROLE = "concord_app";
    private static int databases;

    private String db;

    @BeforeEach
    void freshDatabase() throws SQLException {
        db = "installer_" + ++databases;
        pg().createDatabase(db);
        sql("""
                CREATE TABLE accounts (id int8 PRIMARY KEY, owner text);
                CREATE TABLE notes (id int4 PRIMARY KEY, body text, likes int8);
                CREATE TABLE orders (id int8 PRIMARY KEY, total numeric);
                CREATE TABLE events (code text NOT NULL, at timestamptz);
                CREATE TABLE logbook (line text)""");
    }

    /** Removes what a test left, without trusting the code under test: slots and origins are server-wide. */
    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection connection = pg().connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db + "'");
            statement.execute("SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin");
            statement.execute("DROP DATABASE " + db + " WITH (FORCE)");
            statement.execute("DROP ROLE IF EXISTS " + APP_ROLE);
        }
    }

    @Test
    void installCreatesTheSchemaAPublicationOfExactlyTheTablesTheSlotAndAnOriginPerPeer() throws Exception {
        List<String> done = install(config("""
                  - name: accounts
                  - name: public.orders
                """, "b", "c"));

        assertThat(done).contains("created publication concord over 2 tables",
                "created logical replication slot concord_a (pgoutput)",
                "created replication origin concord_b", "created replication origin concord_c");
        assertThat(rows("SELECT c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'concord' AND c.relkind IN ('r', 'v')"))
                .containsExactlyInAnyOrder("row_versions r", "capture_progress r", "apply_progress r", "conflicts r",
                        "dead_letters r", "peer_status r", "schema_version r", "conflict_decisions r", "open_conflicts v");
        assertThat(publishedTables()).containsExactlyInAnyOrder("public.accounts", "public.orders", DECISIONS);
        assertThat(rows("SELECT slot_name || ' ' || slot_type || ' ' || plugin || ' ' || database FROM pg_replication_slots"))
                .containsExactly("concord_a logical pgoutput " + db);
        assertThat(origins()).as("one per peer and apply session (apply.sessions is 2 by default)")
                .containsExactlyInAnyOrder("concord_b", "concord_b#1", "concord_c", "concord_c#1");
        assertThat(rows("SELECT p.slot || ' ' || (p.lsn = s.confirmed_flush_lsn) || ' ' || p.epoch"
                + " FROM concord.capture_progress p JOIN pg_replication_slots s ON s.slot_name = p.slot"))
                .as("capture starts where the slot starts").containsExactly("concord_a true 0");
    }

    @Test
    void installingAgainChangesNothing() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                  - name: notes
                    resolver: merge
                """, "b");
        install(config, true);
        List<String> before = catalogState();

        List<String> again = install(config, true);

        assertThat(catalogState()).isEqualTo(before);
        assertThat(again).noneMatch(line -> line.startsWith("created") || line.startsWith("set"));
    }

    @Test
    void rowVersionsOfAnEarlierInstallGetBytewiseKeysAndKeepTheirRows() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                """, "b");
        install(config, true);
        // As an install before the keys were COLLATE "C" left the table.
        sql("""
                ALTER TABLE concord.row_versions ALTER COLUMN table_name TYPE text COLLATE "default",
                                                 ALTER COLUMN row_key TYPE text COLLATE "default";
                INSERT INTO concord.row_versions (table_name, row_key, state, vector, hlc, dc, lsn)
                VALUES ('public.accounts', '["1"]', '\\x00', '{"a": 1}', 1, 'a', '0/1')""");
        assertThat(rows(KEY_COLLATIONS)).containsExactly("default", "default");

        install(config, true);

        assertThat(rows(KEY_COLLATIONS)).containsExactly("C", "C");
        assertThat(rows("SELECT row_key FROM concord.row_versions")).containsExactly("[\"1\"]");
        List<String> index = rows(PRIMARY_KEY_FILE);
        install(config, true);
        assertThat(rows(PRIMARY_KEY_FILE)).as("not rebuilt once bytewise").isEqualTo(index);
    }

    @Test
    void rowVersionsLeaveRoomOnTheirPagesAlsoInAnEarlierInstall() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                """, "b");
        install(config, true);
        assertThat(rows(ROW_VERSIONS_OPTIONS)).containsExactly("{fillfactor=80}");
        // As an install before the setting left the table.
        sql("ALTER TABLE concord.row_versions RESET (fillfactor)");
        assertThat(rows(ROW_VERSIONS_OPTIONS)).containsExactly((String) null);

        install(config, true);

        assertThat(rows(ROW_VERSIONS_OPTIONS)).containsExactly("{fillfactor=80}");
    }

    private static final String ROW_VERSIONS_OPTIONS =
            "SELECT reloptions::text FROM pg_class WHERE oid = 'concord.row_versions'::regclass";

    private static final String PRIMARY_KEY_FILE = "SELECT pg_relation_filenode('concord.row_versions_pkey')";

    private static final String KEY_COLLATIONS = "SELECT c.collname FROM pg_attribute a JOIN pg_collation c"
            + " ON c.oid = a.attcollation WHERE a.attrelid = 'concord.row_versions'::regclass"
            + " AND a.attname IN ('table_name', 'row_key') ORDER BY a.attnum";

    /** Two instances of one DC starting together (the second becomes the standby) both install. */
    @Test
    void concurrentInstallsBothSucceed() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                """, "b", "c");
        for (int round = 0; round < 5; round++) {
            CyclicBarrier start = new CyclicBarrier(2);
            Callable<List<String>> instance = () -> {
                try (Connection connection = pg().connect(db)) {
                    start.await();
                    return new Installer(config).install(connection, false);
                }
            };
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<List<String>> first = pool.submit(instance);
                Future<List<String>> second = pool.submit(instance);
                assertThat(Stream.concat(first.get().stream(), second.get().stream()))
                        .as("round " + round).filteredOn(line -> line.startsWith("created"))
                        .containsExactlyInAnyOrder("created publication concord over 1 table",
                                "created logical replication slot concord_a (pgoutput)",
                                "created replication origin concord_b", "created replication origin concord_c",
                                "created replication origin concord_b#1", "created replication origin concord_c#1");
            } finally {
                pool.shutdownNow();
            }
            try (Connection connection = pg().connect(db)) {
                new Installer(config).uninstall(connection);
            }
        }
    }

    @Test
    void installingAfterTheTablesChangedMakesThePublicationMatchThem() throws Exception {
        install(config("""
                  - name: accounts
                  - name: notes
                """, "b"));

        install(config("""
                  - name: accounts
                  - name: orders
                """, "b"));
        assertThat(publishedTables()).containsExactlyInAnyOrder("public.accounts", "public.orders", DECISIONS);

        install(config("""
                  - name: orders
                """, "b"));
        assertThat(publishedTables()).containsExactlyInAnyOrder("public.orders", DECISIONS);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsFixAndNothingIsCreated() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                  - name: logbook
                  - name: events
                    key: [code]
                  - name: notes
                    resolver: {name: merge, columns: {likes: counter}}
                  - name: missing
                """, "b");

        PrerequisitesNotMetException e = notMet(() -> install(config));

        assertThat(e.problems()).extracting(p -> p.subject() + ": " + p.problem() + " | " + p.fix()).containsExactly(
                "table public.logbook: has no primary key and no key is configured"
                        + " | add a primary key, or list its key columns under key: in concord.yaml",
                "table public.logbook: has no primary key, so it needs REPLICA IDENTITY FULL"
                        + " | ALTER TABLE \"public\".\"logbook\" REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)",
                "table public.events: its configured key [code] has no unique index of exactly its columns that is not"
                        + " deferrable (apply writes rows with INSERT ... ON CONFLICT on the key, which needs one)"
                        + " | CREATE UNIQUE INDEX CONCURRENTLY ON \"public\".\"events\" (\"code\");",
                "table public.events: has no primary key, so it needs REPLICA IDENTITY FULL"
                        + " | ALTER TABLE \"public\".\"events\" REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)",
                "table public.notes: its resolver (merge) needs before-images, REPLICA IDENTITY is not FULL"
                        + " | ALTER TABLE \"public\".\"notes\" REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)",
                "table public.missing: does not exist | create it, or remove it from tables in concord.yaml");
        assertThat(e.getMessage()).contains("public.logbook", "public.events", "public.notes", "public.missing");
        try (Connection connection = pg().connect(db)) {
            assertThat(new PrerequisiteCheck(config).run(connection)).isEqualTo(e.problems());
        }
        assertNothingInstalled();
    }

    @Test
    void aKeyMustNameColumnsThatHoldNoNullAndAUniqueIndexOfExactlyThem() throws Exception {
        sql("""
                CREATE TABLE k_nullable (code text, v text);
                CREATE UNIQUE INDEX ON k_nullable (code);
                CREATE TABLE k_unknown (code text NOT NULL);
                CREATE TABLE k_subset (a int4 NOT NULL, b int4 NOT NULL);
                CREATE UNIQUE INDEX ON k_subset (a);
                CREATE TABLE k_partial (code text NOT NULL, gone bool);
                CREATE UNIQUE INDEX ON k_partial (code) WHERE NOT gone;
                CREATE TABLE k_deferrable (id int4 PRIMARY KEY DEFERRABLE);
                CREATE TABLE k_reordered (a int4 NOT NULL, b int4 NOT NULL);
                CREATE UNIQUE INDEX ON k_reordered (b, a);
                CREATE TABLE k_covering (code text NOT NULL, v text);
                CREATE UNIQUE INDEX ON k_covering (code) INCLUDE (v)""");
        ConcordConfig config = config("""
                  - name: k_nullable
                    key: [code]
                  - name: k_unknown
                    key: [code, nope]
                  - name: k_subset
                    key: [a, b]
                  - name: k_partial
                    key: [code]
                  - name: k_deferrable
                  - name: k_reordered
                    key: [a, b]
                  - name: k_covering
                    key: [code]
                """, "b");

        List<Problem> problems;
        try (Connection connection = pg().connect(db)) {
            problems = new PrerequisiteCheck(config).run(connection);
        }

        String noIndex = " has no unique index of exactly its columns that is not deferrable (apply writes rows with"
                + " INSERT ... ON CONFLICT on the key, which needs one) | CREATE UNIQUE INDEX CONCURRENTLY ON ";
        assertThat(problems).filteredOn(p -> !p.problem().contains("REPLICA IDENTITY"))
                .extracting(p -> p.subject() + ": " + p.problem() + " | " + p.fix()).containsExactly(
                        "table public.k_nullable: its key column code may be NULL, and a NULL key names no row"
                                + " | ALTER TABLE \"public\".\"k_nullable\" ALTER COLUMN \"code\" SET NOT NULL;",
                        "table public.k_unknown: has no column nope of its configured key [code, nope]"
                                + " | fix key: of public.k_unknown in concord.yaml",
                        "table public.k_subset: its configured key [a, b]" + noIndex
                                + "\"public\".\"k_subset\" (\"a\", \"b\");",
                        "table public.k_partial: its configured key [code]" + noIndex
                                + "\"public\".\"k_partial\" (\"code\");",
                        "table public.k_deferrable: its primary key [id]" + noIndex
                                + "\"public\".\"k_deferrable\" (\"id\");");
        // The fixes, run as printed, leave nothing but the unknown column (a config change) to do.
        for (Problem problem : problems) {
            if (problem.fix().startsWith("ALTER") || problem.fix().startsWith("CREATE")) {
                sql(problem.fix().replaceAll(";.*", ""));
            }
        }
        try (Connection connection = pg().connect(db)) {
            assertThat(new PrerequisiteCheck(config).run(connection)).extracting(Problem::subject)
                    .containsExactly("table public.k_unknown");
        }
    }

    @Test
    void moreApplySessionsThanTheServerTracksOriginsForIsAProblemNamingTheSetting() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                apply:
                  sessions: 8
                """, "b", "c", "d"); // 24 origins at once; the embedded server has max_replication_slots 20

        PrerequisitesNotMetException e = notMet(() -> install(config));

        assertThat(e.problems()).extracting(p -> p.subject() + ": " + p.problem() + " | " + p.fix()).containsExactly(
                "max_replication_slots: is 20, and apply holds up to 24 replication origins at once (3 peers x"
                        + " apply.sessions 8) | ALTER SYSTEM SET max_replication_slots = 26; restart, or lower apply.sessions");
        assertNothingInstalled();
    }

    @Test
    void rowLevelSecurityForcedOnTheOwnerIsAProblemUnlessTheRoleBypassesIt() throws Exception {
        sql("CREATE ROLE " + APP_ROLE + " LOGIN REPLICATION PASSWORD 'app-secret';"
                + "ALTER TABLE accounts OWNER TO " + APP_ROLE + ";"
                + "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;"
                + "ALTER TABLE accounts FORCE ROW LEVEL SECURITY");
        ConcordConfig config = config("""
                  - name: accounts
                """, "b");
        try (Connection connection = DriverManager.getConnection(pg().jdbcUrl(db), APP_ROLE, "app-secret")) {
            assertThat(new PrerequisiteCheck(config).run(connection))
                    .filteredOn(p -> p.subject().equals("table public.accounts"))
                    .extracting(p -> p.problem() + " | " + p.fix()).containsExactly(
                            "forces row-level security on its owner, and concord_app may not bypass it: apply must"
                                    + " write every row as it is | ALTER TABLE \"public\".\"accounts\" NO FORCE ROW"
                                    + " LEVEL SECURITY;  (or ALTER ROLE concord_app BYPASSRLS;)");
            sql("ALTER ROLE " + APP_ROLE + " BYPASSRLS");
            assertThat(new PrerequisiteCheck(config).run(connection)).extracting(Problem::subject)
                    .doesNotContain("table public.accounts");
        }
    }

    @Test
    void setReplicaIdentitySetsItWhereTheKeyOrTheResolverNeedsIt() throws Exception {
        sql("CREATE UNIQUE INDEX ON events (code)");
        List<String> done = install(config("""
                  - name: accounts
                  - name: events
                    key: [code]
                  - name: notes
                    resolver: merge
                """, "b"), true);

        assertThat(done).contains("set REPLICA IDENTITY FULL on public.events", "set REPLICA IDENTITY FULL on public.notes");
        assertThat(replicaIdentities()).containsExactly("accounts d", "events f", "logbook d", "notes f", "orders d");
    }

    @Test
    void setReplicaIdentityChangesNoTableWhileAnotherProblemStopsTheInstall() throws Exception {
        ConcordConfig config = config("""
                  - name: notes
                    resolver: merge
                  - name: missing
                """, "b");

        PrerequisitesNotMetException e = notMet(() -> install(config, true));

        assertThat(e.problems()).extracting(Problem::subject).containsExactly("table public.missing");
        assertThat(replicaIdentities()).contains("notes d");
        assertNothingInstalled();
    }

    @Test
    void aRoleWithoutReplicationIsToldHowToGetItAndWhatElseItLacks() throws Exception {
        sql("CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD 'app-secret'");
        ConcordConfig config = config("""
                  - name: accounts
                """, "b");

        try (Connection connection = DriverManager.getConnection(pg().jdbcUrl(db), APP_ROLE, "app-secret")) {
            assertThat(new PrerequisiteCheck(config).run(connection)).extracting(p -> p.subject() + " | " + p.fix())
                    .containsExactly(
                            "role concord_app | ALTER ROLE concord_app REPLICATION;",
                            "role concord_app | GRANT CREATE ON DATABASE " + db + " TO concord_app;",
                            "role concord_app | GRANT EXECUTE ON FUNCTION pg_replication_origin_create(text),"
                                    + " pg_replication_origin_drop(text) TO concord_app;",
                            "table public.accounts | ALTER TABLE \"public\".\"accounts\" OWNER TO concord_app;"
                                    + "  (or make concord_app a member of postgres)");
            assertThatThrownBy(() -> new Installer(config).install(connection, false))
                    .isInstanceOf(PrerequisitesNotMetException.class)
                    .hasMessageContaining("role concord_app: lacks the REPLICATION privilege\n    fix: ALTER ROLE concord_app REPLICATION;");
        }
        assertNothingInstalled();
    }

    @Test
    void aRoleGivenWhatTheCheckAsksForCanInstall() throws Exception {
        sql("CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD 'app-secret'");
        ConcordConfig config = config("""
                  - name: accounts
                  - name: events
                    key: [code]
                """, "b");
        try (Connection connection = DriverManager.getConnection(pg().jdbcUrl(db), APP_ROLE, "app-secret")) {
            List<Problem> problems = new PrerequisiteCheck(config).run(connection);
            assertThat(problems).extracting(Problem::subject).containsExactly("role concord_app", "role concord_app",
                    "role concord_app", "table public.accounts", "table public.events", "table public.events",
                    "table public.events");
            // An administrator runs each printed fix (its first statement) and nothing else.
            for (Problem problem : problems) {
                sql(problem.fix().replaceAll(";.*", ""));
            }
            assertThat(new PrerequisiteCheck(config).run(connection)).isEmpty();

            new Installer(config).install(connection, false);
        }
        assertThat(publishedTables()).containsExactlyInAnyOrder("public.accounts", "public.events", DECISIONS);
        assertThat(origins()).containsExactlyInAnyOrder("concord_b", "concord_b#1");
    }

    @Test
    void uninstallRemovesTheSlotThePublicationTheOriginsAndTheSchema() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                """, "b", "c");
        install(config);

        List<String> done;
        try (Connection connection = pg().connect(db)) {
            done = new Installer(config).uninstall(connection);
        }

        assertThat(done).containsExactly("dropped slot concord_a", "dropped publication concord",
                "dropped replication origin concord_b", "dropped replication origin concord_b#1",
                "dropped replication origin concord_c", "dropped replication origin concord_c#1", "dropped schema concord");
        assertNothingInstalled();
        assertThat(rows("SELECT count(*) FROM accounts")).as("user tables stay").containsExactly("0");
    }

    /** Sessions a config no longer has keep their origins until uninstall, which drops every session's, no one else's. */
    @Test
    void eachApplySessionHasAnOriginAndUninstallDropsThemAllButNoOtherPeers() throws Exception {
        install(config("""
                  - name: accounts
                apply:
                  sessions: 3
                """, "b"));
        assertThat(origins()).containsExactlyInAnyOrder("concord_b", "concord_b#1", "concord_b#2");
        sql("SELECT pg_replication_origin_create('concord_bb')"); // as if of a peer named bb

        List<String> done;
        try (Connection connection = pg().connect(db)) {
            done = new Installer(config("""
                      - name: accounts
                    apply:
                      sessions: 1
                    """, "b")).uninstall(connection);
        }
        assertThat(done).contains("dropped replication origin concord_b", "dropped replication origin concord_b#1",
                "dropped replication origin concord_b#2");
        assertThat(origins()).containsExactly("concord_bb");
    }

    @Test
    void uninstallRefusesWhileTheSlotIsInUseAndNamesTheDc() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                """, "b");
        install(config);
        PostgresServer pg = pg();

        try (PgOutputStream stream = PgOutputStream.open(pg.jdbcUrl(db), pg.user(), pg.password(),
                WalStreamOptions.of("concord_a", "concord"), Lsn.INVALID,
                new TypeRegistry(new JdbcTypeCatalog(() -> pg.connect(db))));
                Connection connection = pg.connect(db)) {
            assertThatThrownBy(() -> new Installer(config).uninstall(connection))
                    .hasMessageContaining("slot concord_a is in use")
                    .hasMessageContaining("stop the replicator of DC a first");
            assertThat(catalogState()).contains("publication public.accounts", "origin concord_b 1")
                    .anyMatch(line -> line.startsWith("slot concord_a pgoutput"))
                    .anyMatch(line -> line.startsWith("concord row_versions"));
        }

        // The walsender leaves the slot a moment after the stream closes.
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("SELECT active FROM pg_replication_slots").equals(List.of("f")));
        try (Connection connection = pg.connect(db)) {
            new Installer(config).uninstall(connection);
        }
        assertNothingInstalled();
    }

    private static PrerequisitesNotMetException notMet(ThrowingCallable install) {
        return assertThatExceptionOfType(PrerequisitesNotMetException.class).isThrownBy(install).actual();
    }

    @Test
    void aSlotOfTheSameNameInAnotherDatabaseIsNeitherTakenNorDropped() throws Exception {
        ConcordConfig config = config("""
                  - name: accounts
                """, "b");
        install(config);
        String first = db;
        db = first + "_other";
        try {
            pg().createDatabase(db);
            sql("CREATE TABLE accounts (id int8 PRIMARY KEY)");
            // Another peer: origins are server-wide too, and this test is about the slot.
            ConcordConfig other = config("""
                      - name: accounts
                    """, "c");

            assertThat(notMet(() -> install(other)).problems()).extracting(p -> p.subject() + ": " + p.problem())
                    .containsExactly("replication slot concord_a: already exists for database " + first
                            + " (pgoutput), not this database with pgoutput");
            try (Connection connection = pg().connect(db)) {
                assertThat(new Installer(other).uninstall(connection)).as("nothing of its own to remove").isEmpty();
            }
            assertThat(rows("SELECT slot_name || ' ' || database FROM pg_replication_slots")).containsExactly("concord_a " + first);
        } finally {
            try (Connection connection = pg().connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
            db = first;
        }
    }

    private void assertNothingInstalled() throws SQLException {
        assertThat(rows("SELECT nspname FROM pg_namespace WHERE nspname = 'concord'")).isEmpty();
        assertThat(rows("SELECT pubname FROM pg_publication")).isEmpty();
        assertThat(rows("SELECT slot_name FROM pg_replication_slots")).isEmpty();
        assertThat(origins()).isEmpty();
    }

    /** Everything install creates, with oids and positions, so that a change of any of them shows. */
    private List<String> catalogState() throws SQLException {
        List<String> state = new ArrayList<>();
        state.addAll(rows("SELECT 'concord ' || c.relname || ' ' || c.oid FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'concord' ORDER BY 1"));
        state.addAll(rows("SELECT 'publication ' || schemaname || '.' || tablename FROM pg_publication_tables ORDER BY 1"));
        state.addAll(rows("SELECT 'publication oid ' || oid || ' ' || pubname FROM pg_publication"));
        state.addAll(rows("SELECT 'slot ' || slot_name || ' ' || plugin || ' ' || confirmed_flush_lsn FROM pg_replication_slots"));
        state.addAll(rows("SELECT 'origin ' || roname || ' ' || roident FROM pg_replication_origin ORDER BY 1"));
        state.addAll(rows("SELECT 'progress ' || slot || ' ' || lsn || ' ' || epoch || ' ' || updated_at FROM concord.capture_progress"));
        state.addAll(rows("SELECT 'version ' || version || ' ' || installed_at FROM concord.schema_version"));
        state.addAll(replicaIdentities());
        return state;
    }

    private List<String> publishedTables() throws SQLException {
        return rows("SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = 'concord'");
    }

    private List<String> origins() throws SQLException {
        return rows("SELECT roname FROM pg_replication_origin");
    }

    private List<String> replicaIdentities() throws SQLException {
        return rows("SELECT relname || ' ' || relreplident::text FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " AND relkind = 'r' ORDER BY 1");
    }

    private ConcordConfig config(String tables, String... peers) throws Exception {
        PostgresServer pg = pg();
        return TestConfigs.parse("""
                dc: a
                postgres:
                  url: %s
                  user: %s
                  password: %s
                kafka:
                  bootstrap-servers: %s
                peers: [%s]
                tables:
                %s""".formatted(pg.jdbcUrl(db), pg.user(), pg.password(), cluster.kafka().bootstrapServers(),
                String.join(", ", peers), tables));
    }

    private List<String> install(ConcordConfig config) throws Exception {
        return install(config, false);
    }

    private List<String> install(ConcordConfig config, boolean setReplicaIdentity) throws Exception {
        try (Connection connection = pg().connect(db)) {
            return new Installer(config).install(connection, setReplicaIdentity);
        }
    }

    private List<String> rows(String query) throws SQLException {
        try (Connection connection = pg().connect(db); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private void sql(String statements) throws SQLException {
        try (Connection connection = pg().connect(db); Statement statement = connection.createStatement()) {
            statement.execute(statements);
        }
    }

    private static PostgresServer pg() {
        return cluster.postgres("a");
    }
}
