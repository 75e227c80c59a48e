package io.concord.replicator.store;

import io.concord.replicator.config.ConcordConfig;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** A replicated table's key columns: the configured key, else the primary key from the catalog. */
public final class KeyColumns {

    private KeyColumns() {
    }

    /** The configured key, or the primary key; empty when the table has neither (or does not exist). */
    public static Optional<List<String>> of(Connection connection, ConcordConfig.Table table) throws SQLException {
        return table.configuredKey().isPresent() ? table.configuredKey() : primaryKey(connection, table);
    }

    /**
     * Whether a unique index of plain columns (no expression, no predicate) holds these columns, or some of them:
     * then no two rows share a key, and an insert of a key that has a row fails.
     */
    public static boolean isUnique(Connection connection, ConcordConfig.Table table, List<String> key)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT EXISTS (
                    SELECT 1
                      FROM pg_index i
                      JOIN pg_class c ON c.oid = i.indrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate
                       AND n.nspname = ? AND c.relname = ?
                       AND (SELECT array_agg(a.attname::text) FROM pg_attribute a
                             WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey)) <@ ?::text[])""")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            statement.setArray(3, connection.createArrayOf("text", key.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The primary key's columns in index order, or empty. */
    public static Optional<List<String>> primaryKey(Connection connection, ConcordConfig.Table table)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum))
                  FROM pg_index i
                  JOIN pg_class c ON c.oid = i.indrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
                 WHERE i.indisprimary AND n.nspname = ? AND c.relname = ?""")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                Array names = rs.next() ? rs.getArray(1) : null;
                return names == null ? Optional.empty() : Optional.of(List.of((String[]) names.getArray()));
            }
        }
    }
}
