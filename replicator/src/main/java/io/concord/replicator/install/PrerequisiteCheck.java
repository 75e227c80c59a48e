package io.concord.replicator.install;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.KeyColumns;
import io.concord.replicator.store.TableColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks what a database must offer before Concord can replicate it, and says how to fix each
 * gap: logical WAL, free slots and senders, the REPLICATION privilege, keys, replica identity and row-level
 * security of every configured table.
 */
public final class PrerequisiteCheck {

    private final ConcordConfig config;

    public PrerequisiteCheck(ConcordConfig config) {
        this.config = config;
    }

    /** Every problem found; empty when the database is ready. */
    public List<Problem> run(Connection connection) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        checkServer(connection, problems);
        for (ConcordConfig.Table table : config.tables()) {
            checkTable(connection, table, problems);
        }
        return problems;
    }

    private void checkServer(Connection connection, List<Problem> problems) throws SQLException {
        if (!"logical".equals(setting(connection, "wal_level"))) {
            problems.add(new Problem("wal_level", "is '" + setting(connection, "wal_level") + "', logical decoding needs 'logical'",
                    "ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL"));
        }
        int slots = Integer.parseInt(setting(connection, "max_replication_slots"));
        int used = intQuery(connection, "SELECT count(*) FROM pg_replication_slots WHERE slot_name <> ?", config.capture().slot());
        if (used >= slots) {
            problems.add(new Problem("max_replication_slots", "all " + slots + " slots are in use",
                    "raise max_replication_slots (ALTER SYSTEM SET max_replication_slots = " + (slots + 2)
                            + "; restart) or drop an unused slot"));
        }
        // Up to 17, max_replication_slots also bounds the replication origins sessions hold at once.
        int origins = config.peers().size() * config.apply().sessions();
        if (origins > slots) {
            problems.add(new Problem("max_replication_slots", "is " + slots + ", and apply holds up to " + origins
                    + " replication origins at once (" + config.peers().size() + " peers x apply.sessions "
                    + config.apply().sessions() + ")", "ALTER SYSTEM SET max_replication_slots = " + (origins + 2)
                    + "; restart, or lower apply.sessions"));
        }
        int senders = Integer.parseInt(setting(connection, "max_wal_senders"));
        int active = intQuery(connection, "SELECT count(*) FROM pg_stat_replication", null);
        if (senders - active < 1) {
            problems.add(new Problem("max_wal_senders", senders + " senders, " + active + " in use",
                    "ALTER SYSTEM SET max_wal_senders = " + (active + 4) + "; then restart PostgreSQL"));
        }
        checkRole(connection, problems);
        checkSlot(connection, problems);
    }

    /** What install does as this role: create a slot, schema concord, a publication, and origins. */
    private static void checkRole(Connection connection, List<Problem> problems) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT current_user, quote_ident(current_user), rolreplication OR rolsuper,
                               has_database_privilege(current_database(), 'CREATE'), quote_ident(current_database()),
                               has_function_privilege('pg_replication_origin_create(text)', 'EXECUTE')
                                   AND has_function_privilege('pg_replication_origin_drop(text)', 'EXECUTE')
                          FROM pg_roles WHERE rolname = current_user""")) {
            rs.next();
            String role = rs.getString(1);
            String quotedRole = rs.getString(2);
            if (!rs.getBoolean(3)) {
                problems.add(new Problem("role " + role, "lacks the REPLICATION privilege",
                        "ALTER ROLE " + quotedRole + " REPLICATION;"));
            }
            if (!rs.getBoolean(4)) {
                problems.add(new Problem("role " + role, "may not create schema concord and the publication in this database",
                        "GRANT CREATE ON DATABASE " + rs.getString(5) + " TO " + quotedRole + ";"));
            }
            if (!rs.getBoolean(6)) {
                // Superuser-only by default; install creates one origin per peer and apply session, uninstall drops them.
                problems.add(new Problem("role " + role, "may not create or drop replication origins",
                        "GRANT EXECUTE ON FUNCTION pg_replication_origin_create(text), pg_replication_origin_drop(text) TO "
                                + quotedRole + ";"));
            }
        }
    }

    /** Slot names are server-wide: one of another database, or not made by pgoutput, is not ours to read. */
    private void checkSlot(Connection connection, List<Problem> problems) throws SQLException {
        String slot = config.capture().slot();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT coalesce(database, '(none)'), coalesce(plugin, slot_type) FROM pg_replication_slots
                 WHERE slot_name = ? AND (database IS DISTINCT FROM current_database() OR plugin IS DISTINCT FROM 'pgoutput')""")) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    problems.add(new Problem("replication slot " + slot, "already exists for database " + rs.getString(1)
                            + " (" + rs.getString(2) + "), not this database with pgoutput",
                            "set capture.slot in concord.yaml to another name, or drop that slot if nothing uses it"));
                }
            }
        }
    }

    private void checkTable(Connection connection, ConcordConfig.Table table, List<Problem> problems)
            throws SQLException {
        String sql = """
                SELECT c.oid, c.relreplident, pg_has_role(c.relowner, 'USAGE'), c.relowner::regrole::text,
                       current_user, quote_ident(current_user),
                       (SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum))
                          FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                         WHERE i.indrelid = c.oid AND i.indisprimary),
                       c.relrowsecurity AND c.relforcerowsecurity
                           AND NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    problems.add(new Problem("table " + table.qualifiedName(), "does not exist",
                            "create it, or remove it from tables in concord.yaml"));
                    return;
                }
                String identity = rs.getString(2);
                if (!rs.getBoolean(3)) {
                    // Only an owner may put a table in a publication or change its replica identity.
                    problems.add(new Problem("table " + table.qualifiedName(), "is owned by " + rs.getString(4)
                            + ", not by " + rs.getString(5) + ": only an owner may publish it or set its replica identity",
                            "ALTER TABLE " + quoted(table) + " OWNER TO " + rs.getString(6)
                                    + ";  (or make " + rs.getString(5) + " a member of " + rs.getString(4) + ")"));
                }
                if (rs.getBoolean(8)) {
                    // Apply would write through the policies (an update they filter out is silently lost), and
                    // COPY, which apply inserts new rows with, refuses such a table.
                    problems.add(new Problem("table " + table.qualifiedName(), "forces row-level security on its owner,"
                            + " and " + rs.getString(5) + " may not bypass it: apply must write every row as it is",
                            "ALTER TABLE " + quoted(table) + " NO FORCE ROW LEVEL SECURITY;  (or ALTER ROLE "
                                    + rs.getString(6) + " BYPASSRLS;)"));
                }
                boolean hasPrimaryKey = rs.getArray(7) != null;
                if (!hasPrimaryKey && table.key().isEmpty()) {
                    problems.add(new Problem("table " + table.qualifiedName(), "has no primary key and no key is configured",
                            "add a primary key, or list its key columns under key: in concord.yaml"));
                }
                if (!table.key().isEmpty()) {
                    checkKey(connection, table, table.key(), true, rs.getLong(1), problems);
                } else if (hasPrimaryKey) {
                    checkKey(connection, table, List.of((String[]) rs.getArray(7).getArray()), false, rs.getLong(1),
                            problems);
                }
                if (!hasPrimaryKey && !"f".equals(identity)) {
                    // Without a primary key PostgreSQL cannot publish UPDATE/DELETE (the application's
                    // own statements would fail once the table is in the publication).
                    problems.add(new Problem("table " + table.qualifiedName(),
                            "has no primary key, so it needs REPLICA IDENTITY FULL",
                            "ALTER TABLE " + quoted(table) + " REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)"));
                } else if (TableRequirements.needsBeforeImage(table) && !"f".equals(identity)) {
                    problems.add(new Problem("table " + table.qualifiedName(),
                            "its resolver (" + table.resolver().name() + ") needs before-images, REPLICA IDENTITY is not FULL",
                            "ALTER TABLE " + quoted(table) + " REPLICA IDENTITY FULL;  (or run install with --set-replica-identity)"));
                }
            }
        }
    }

    /**
     * A configured key must name columns that exist, hold no NULL (a NULL key names no row: apply could neither
     * find nor hold it, and a unique index lets any number of them in) and be held by a unique index of exactly
     * its columns: apply writes changed rows with {@code INSERT ... ON CONFLICT} on the key, which PostgreSQL
     * refuses without one, and only that index keeps a local insert from duplicating a key apply holds.
     * A primary key meets all three unless it is deferrable ({@code ON CONFLICT} cannot use a deferrable one).
     */
    private static void checkKey(Connection connection, ConcordConfig.Table table, List<String> key,
            boolean configured, long oid, List<Problem> problems) throws SQLException {
        List<String> missing = new ArrayList<>();
        List<String> nullable = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT k.name, a.attnotnull
                  FROM unnest(?::text[]) WITH ORDINALITY AS k(name, n)
                  LEFT JOIN pg_attribute a ON a.attrelid = ? AND a.attname = k.name AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY k.n""")) {
            statement.setArray(1, connection.createArrayOf("text", key.toArray()));
            statement.setLong(2, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Object notNull = rs.getObject(2);
                    if (notNull == null) {
                        missing.add(rs.getString(1));
                    } else if (!rs.getBoolean(2)) {
                        nullable.add(rs.getString(1));
                    }
                }
            }
        }
        String subject = "table " + table.qualifiedName();
        String columns = key.stream().map(PrerequisiteCheck::quoted).collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            problems.add(new Problem(subject, "has no column " + String.join(", ", missing) + " of its configured key "
                    + key, "fix key: of " + table.qualifiedName() + " in concord.yaml"));
            return;
        }
        for (String column : nullable) {
            problems.add(new Problem(subject, "its key column " + column + " may be NULL, and a NULL key names no row",
                    "ALTER TABLE " + quoted(table) + " ALTER COLUMN " + quoted(column) + " SET NOT NULL;"));
        }
        if (!KeyColumns.heldByUniqueIndex(connection, table, key)) {
            problems.add(new Problem(subject, "its " + (configured ? "configured key " : "primary key ") + key
                    + " has no unique index of exactly its columns that is not deferrable (apply writes rows with"
                    + " INSERT ... ON CONFLICT on the key, which needs one)",
                    "CREATE UNIQUE INDEX CONCURRENTLY ON " + quoted(table) + " (" + columns + ");"));
        }
    }

    static String quoted(ConcordConfig.Table table) {
        return quoted(table.schema()) + "." + quoted(table.name());
    }

    private static String quoted(String identifier) {
        return TableColumns.quote(identifier);
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static int intQuery(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
