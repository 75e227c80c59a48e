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
     * Whether a unique index holds exactly these columns (in any order; no expression, no predicate, not deferrable,
     * valid): apply writes a changed row with {@code INSERT ... ON CONFLICT} on the key, which PostgreSQL can only
     * infer from such an index, and a plain insert of a key that has a row fails only because of it. An index of
     * some of the columns would keep keys unique too, but {@code ON CONFLICT} on all of them cannot use it.
     */
    public static boolean heldByUniqueIndex(Connection connection, ConcordConfig.Table table, List<String> key)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT EXISTS (
                    SELECT 1
                      FROM pg_index i
                      JOIN pg_class c ON c.oid = i.indrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate
                       AND n.nspname = ? AND c.relname = ? AND i.indnkeyatts = cardinality(?::text[])
                       AND (SELECT array_agg(a.attname::text) FROM pg_attribute a
                             WHERE a.attrelid = c.oid AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1]))
                           @> ?::text[])""")) {
            Array names = connection.createArrayOf("text", key.toArray());
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            statement.setArray(3, names);
            statement.setArray(4, names);
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
