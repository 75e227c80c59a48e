package io.concord.replicator.store;

import io.concord.replicator.config.ConcordConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table's columns as the catalog has them now, in column order: what apply and a conflict resolution
 * write rows by. Empty when the table does not exist.
 */
public final class TableColumns {

    /**
     * @param typeName {@code pg_type.typname}, as events name types
     * @param castType the schema-qualified, quoted type, to cast a text parameter to ({@code ?::castType})
     */
    public record Column(String typeName, String castType) {
    }

    private TableColumns() {
    }

    public static Map<String, Column> of(Connection connection, ConcordConfig.Table table) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname, t.typname, quote_ident(tn.nspname) || '.' || quote_ident(t.typname)
                  FROM pg_attribute a
                  JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_type t ON t.oid = a.atttypid
                  JOIN pg_namespace tn ON tn.oid = t.typnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum""")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), new Column(rows.getString(2), rows.getString(3)));
                }
            }
        }
        return Collections.unmodifiableMap(columns);
    }

    /** A quoted SQL identifier. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
