package io.concord.replicator.install;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.ConcordSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Sets a database up for Concord, idempotently (it runs at every start too): the {@code concord}
 * schema, a publication over exactly the configured tables, the logical replication slot, and
 * one replication origin per peer. Identifiers come from validated config and are quoted.
 */
public final class Installer {

    private static final String INSTALL_LOCK = "concord.install";

    private final ConcordConfig config;

    public Installer(ConcordConfig config) {
        this.config = config;
    }

    /** The replication origin under which changes from {@code peer} are applied. */
    public static String originName(String peer) {
        return "concord_" + peer;
    }

    /**
     * The replication origin of apply session {@code session} of {@code peer} ({@code apply.sessions}): an origin is
     * held by one session at a time, so each session has its own; session 0 has the peer's. '#' is in no DC id, so
     * no session's origin is another peer's.
     */
    public static String originName(String peer, int session) {
        return session == 0 ? originName(peer) : originName(peer) + "#" + session;
    }

    /**
     * Checks prerequisites, then installs. With {@code setReplicaIdentity} it sets REPLICA
     * IDENTITY FULL where a table needs it instead of reporting it.
     *
     * @return what was created or changed, for the user to read (it is not logged here)
     */
    public List<String> install(Connection connection, boolean setReplicaIdentity)
            throws SQLException, PrerequisitesNotMetException {
        connection.setAutoCommit(true);
        // Instances of one DC starting together install one after the other: the second would
        // otherwise see the slot while the first is still creating it (it has no position yet),
        // or race it to create the slot or an origin. Reentrant with ConcordSchema's own lock.
        query(connection, "SELECT pg_advisory_lock(hashtext(?))", INSTALL_LOCK);
        try {
            return installLocked(connection, setReplicaIdentity);
        } finally {
            query(connection, "SELECT pg_advisory_unlock(hashtext(?))", INSTALL_LOCK);
        }
    }

    private List<String> installLocked(Connection connection, boolean setReplicaIdentity)
            throws SQLException, PrerequisitesNotMetException {
        List<String> done = new ArrayList<>();
        List<Problem> problems = new PrerequisiteCheck(config).run(connection);
        // Tables are altered only once nothing else stands in the way: a failed install changes nothing.
        List<Problem> blocking = setReplicaIdentity
                ? problems.stream().filter(problem -> !isReplicaIdentity(problem)).toList() : problems;
        if (!blocking.isEmpty()) {
            throw new PrerequisitesNotMetException(blocking);
        }
        for (ConcordConfig.Table table : tablesNeedingFullIdentity(problems)) {
            execute(connection, "ALTER TABLE " + PrerequisiteCheck.quoted(table) + " REPLICA IDENTITY FULL");
            done.add("set REPLICA IDENTITY FULL on " + table.qualifiedName());
        }
        ConcordSchema.apply(connection);
        done.add("schema concord is at version " + ConcordSchema.VERSION);
        done.add(syncPublication(connection));
        createSlot(connection, done);
        for (String peer : config.peers()) {
            for (int session = 0; session < config.apply().sessions(); session++) {
                String origin = originName(peer, session);
                if (!exists(connection, "SELECT 1 FROM pg_replication_origin WHERE roname = ?", origin)) {
                    query(connection, "SELECT pg_replication_origin_create(?)", origin);
                    done.add("created replication origin " + origin);
                }
            }
        }
        return done;
    }

    private String syncPublication(Connection connection) throws SQLException {
        String tables = config.replicatedTables().stream().map(PrerequisiteCheck::quoted).collect(Collectors.joining(", "));
        String publication = "\"" + config.capture().publication() + "\"";
        if (exists(connection, "SELECT 1 FROM pg_publication WHERE pubname = ?", config.capture().publication())) {
            // SET TABLE makes the publication match the config exactly: tables removed from the
            // config stop being published, added ones start.
            execute(connection, "ALTER PUBLICATION " + publication + " SET TABLE " + tables);
            return "publication " + config.capture().publication() + " covers " + tableCount();
        }
        execute(connection, "CREATE PUBLICATION " + publication + " FOR TABLE " + tables);
        return "created publication " + config.capture().publication() + " over " + tableCount();
    }

    private String tableCount() {
        return config.tables().size() + (config.tables().size() == 1 ? " table" : " tables");
    }

    private void createSlot(Connection connection, List<String> done) throws SQLException {
        String slot = config.capture().slot();
        if (!exists(connection, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", slot)) {
            query(connection, "SELECT pg_create_logical_replication_slot(?, 'pgoutput')", slot);
            done.add("created logical replication slot " + slot + " (pgoutput)");
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO concord.capture_progress (slot, lsn, hlc)
                SELECT slot_name, confirmed_flush_lsn, 0 FROM pg_replication_slots WHERE slot_name = ?
                ON CONFLICT (slot) DO NOTHING""")) {
            statement.setString(1, slot);
            statement.executeUpdate();
        }
    }

    /**
     * Removes the slot, the publication, the peers' origins and the {@code concord} schema with
     * all versions, conflicts and dead letters. Refuses while the slot is in use.
     *
     * @return what was removed; empty when nothing of this DC was there
     */
    public List<String> uninstall(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        List<String> done = new ArrayList<>();
        String slot = config.capture().slot();
        // Slot names are server-wide: a slot of the same name in another database is not ours to drop.
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    if (rs.getBoolean(1)) {
                        throw new SQLException("slot " + slot + " is in use by process " + rs.getInt(2)
                                + ": stop the replicator of DC " + config.dc() + " first");
                    }
                    query(connection, "SELECT pg_drop_replication_slot(?)", slot);
                    done.add("dropped slot " + slot);
                }
            }
        }
        if (exists(connection, "SELECT 1 FROM pg_publication WHERE pubname = ?", config.capture().publication())) {
            execute(connection, "DROP PUBLICATION \"" + config.capture().publication() + "\"");
            done.add("dropped publication " + config.capture().publication());
        }
        for (String peer : config.peers()) {
            // Every session's origin, also of sessions a smaller apply.sessions no longer uses.
            for (String origin : origins(connection, peer)) {
                query(connection, "SELECT pg_replication_origin_drop(?)", origin);
                done.add("dropped replication origin " + origin);
            }
        }
        if (exists(connection, "SELECT 1 FROM pg_namespace WHERE nspname = ?", "concord")) {
            ConcordSchema.drop(connection);
            done.add("dropped schema concord");
        }
        return done;
    }

    /** The origins of {@code peer}'s apply sessions that exist, the peer's own first. */
    private static List<String> origins(Connection connection, String peer) throws SQLException {
        List<String> origins = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT roname FROM pg_replication_origin
                 WHERE roname = ? OR left(roname, length(?) + 1) = ? || '#' ORDER BY roname""")) {
            statement.setString(1, originName(peer));
            statement.setString(2, originName(peer));
            statement.setString(3, originName(peer));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    origins.add(rows.getString(1));
                }
            }
        }
        return origins;
    }

    private static boolean isReplicaIdentity(Problem problem) {
        return problem.problem().contains("REPLICA IDENTITY");
    }

    private List<ConcordConfig.Table> tablesNeedingFullIdentity(List<Problem> problems) {
        return config.tables().stream()
                .filter(table -> problems.stream().anyMatch(p -> isReplicaIdentity(p)
                        && p.subject().equals("table " + table.qualifiedName())))
                .toList();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void query(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeQuery().close();
        }
    }

    private static boolean exists(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }
}
