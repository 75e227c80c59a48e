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
