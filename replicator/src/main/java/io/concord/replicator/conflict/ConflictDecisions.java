package io.concord.replicator.conflict;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.KeyColumns;
import io.concord.replicator.store.TableColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Takes a person's decision on a conflict: resolve it with a row, or dismiss it.
 *
 * <p>A resolution writes the chosen row into the user table of this DC, as the application would. Capture
 * versions that write after this DC's state of the row, which holds both conflicting versions, so the
 * new version dominates both sides and every DC takes it in without a new conflict. The decision itself
 * goes into {@code concord.conflict_decisions} in the same transaction; that table replicates like a user
 * table, so every DC marks the conflict resolved when (and only when) it receives the row.
 */
public final class ConflictDecisions {

    /** Which row a resolution keeps. */
    public enum Keep { LOCAL, REMOTE, ROW }

    private final ConcordConfig config;

    public ConflictDecisions(ConcordConfig config) {
        this.config = config;
    }

    /** What a resolution did, for people. */
    public record Outcome(String id, String table, String key, String written) {
    }

    /**
     * Resolves conflict {@code id} (or an unambiguous prefix) of this DC with the local or remote row, or with
     * {@code rowJson}, in one transaction; commits.
     */
    public Outcome resolve(Connection connection, String id, Keep keep, String rowJson, String by, String note)
            throws SQLException, ConflictDecisionException {
        connection.setAutoCommit(false);
        try {
            Open conflict = open(connection, ConflictQueries.fullId(connection, id));
            if (conflict.type().equals("unique_violation")) {
                throw new ConflictDecisionException("conflict " + conflict.id() + " is a unique_violation: the "
                        + "incoming row waits in the dead letters. Change or delete the local row that holds the "
                        + "value and run `concord dlq retry`, or keep the local row and `concord dlq discard` the "
                        + "dead letter; then `concord conflicts dismiss " + conflict.id() + "`");
            }
            ConcordConfig.Table table = config.table(conflict.table()).orElseThrow(() -> new ConflictDecisionException(
                    "conflict " + conflict.id() + " is on table " + conflict.table()
                            + ", which this DC's config does not replicate"));
            Map<String, String> key = ChosenRow.key(conflict.key());
            ChosenRow row = switch (keep) {
                case LOCAL -> ChosenRow.stored(conflict.localRow());
                case REMOTE -> ChosenRow.stored(conflict.remoteRow());
                case ROW -> ChosenRow.typed(rowJson, key);
            };
            String written = write(connection, table, key, row);
            decide(connection, conflict.id(), "resolved", keep.name().toLowerCase(), by, note);
            connection.commit();
            return new Outcome(conflict.id(), conflict.table(), conflict.key(), written);
        } catch (SQLException | ConflictDecisionException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** Marks conflict {@code id} (or a prefix) dismissed in every DC, changing no row; commits. */
    public String dismiss(Connection connection, String id, String by, String note)
            throws SQLException, ConflictDecisionException {
        connection.setAutoCommit(false);
        try {
            Open conflict = open(connection, ConflictQueries.fullId(connection, id));
            decide(connection, conflict.id(), "dismissed", null, by, note);
            connection.commit();
            return conflict.id();
        } catch (SQLException | ConflictDecisionException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private record Open(String id, String table, String key, String type, String localRow, String remoteRow) {
    }

    /** The conflict, locked; it must be open. */
    private static Open open(Connection connection, String id) throws SQLException, ConflictDecisionException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT table_name, primary_key::text, conflict_type, local_row::text, remote_row::text, status,
                       resolved_by, resolved_at
                  FROM concord.conflicts WHERE id = ? FOR UPDATE""")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new ConflictDecisionException("no conflict " + id + " in this DC");
                }
                if (!rs.getString(6).equals("open")) {
                    throw new ConflictDecisionException("conflict " + id + " is already " + rs.getString(6) + " (by "
                            + rs.getString(7) + " at " + rs.getString(8) + ")");
                }
                return new Open(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5));
            }
        }
    }

    /** Writes the chosen row as an application would: update, else insert; or delete. */
    private static String write(Connection connection, ConcordConfig.Table table, Map<String, String> key,
            ChosenRow row) throws SQLException, ConflictDecisionException {
        Map<String, TableColumns.Column> columns = TableColumns.of(connection, table);
        List<String> keyColumns = KeyColumns.of(connection, table).orElseThrow(() -> new ConflictDecisionException(
                "table " + table.qualifiedName() + " has no key here"));
        if (!key.keySet().containsAll(keyColumns)) {
            throw new ConflictDecisionException("the conflict's key " + key + " does not name the key columns "
                    + keyColumns + " of " + table.qualifiedName() + " (did the table's key change?)");
        }
        String quotedTable = TableColumns.quote(table.schema()) + "." + TableColumns.quote(table.name());
        String where = keyColumns.stream().map(c -> TableColumns.quote(c) + " = ?::" + columns.get(c).castType())
                .collect(Collectors.joining(" AND "));
        List<String> keyValues = keyColumns.stream().map(key::get).toList();
        if (row.values().isEmpty()) {
            int deleted = execute(connection, "DELETE FROM " + quotedTable + " WHERE " + where, keyValues);
            return deleted == 0 ? "nothing to delete (the row is absent here too)" : "deleted the row";
        }
        Map<String, String> values = row.values().get();
        for (String column : values.keySet()) {
            if (!columns.containsKey(column)) {
                throw new ConflictDecisionException("table " + table.qualifiedName() + " has no column " + column
                        + " (its columns: " + String.join(", ", columns.keySet()) + ")");
            }
        }
        List<String> set = values.keySet().stream().filter(c -> !keyColumns.contains(c)).toList();
        List<String> parameters = new ArrayList<>();
        set.forEach(c -> parameters.add(values.get(c)));
        parameters.addAll(keyValues);
        if (!set.isEmpty() && execute(connection, "UPDATE " + quotedTable + " SET " + set.stream()
                .map(c -> TableColumns.quote(c) + " = ?::" + columns.get(c).castType())
                .collect(Collectors.joining(", ")) + " WHERE " + where, parameters) > 0) {
            return "updated the row to " + values;
        }
        if (set.isEmpty() && exists(connection, quotedTable, where, keyValues)) {
            return "kept the row as it is";
        }
        List<String> all = new ArrayList<>(values.keySet());
        execute(connection, "INSERT INTO " + quotedTable + " (" + all.stream().map(TableColumns::quote)
                .collect(Collectors.joining(", ")) + ") VALUES (" + all.stream()
                .map(c -> "?::" + columns.get(c).castType()).collect(Collectors.joining(", ")) + ")",
                all.stream().map(values::get).toList());
        return "inserted the row " + values;
    }

    private static boolean exists(Connection connection, String table, String where, List<String> keyValues)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE " + where)) {
            bind(statement, keyValues);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int execute(Connection connection, String sql, List<String> parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, List<String> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setString(i + 1, parameters.get(i));
        }
    }

    private void decide(Connection connection, String id, String status, String kept, String by, String note)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO concord.conflict_decisions (id, status, decided_by, decided_in, kept, note)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, decided_at = now(),
                    decided_by = EXCLUDED.decided_by, decided_in = EXCLUDED.decided_in, kept = EXCLUDED.kept,
                    note = EXCLUDED.note""")) {
            statement.setString(1, id);
            statement.setString(2, status);
            statement.setString(3, by);
            statement.setString(4, config.dc());
            statement.setString(5, kept);
            statement.setString(6, note);
            statement.executeUpdate();
        }
    }
}
