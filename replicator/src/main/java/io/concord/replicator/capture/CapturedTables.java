package io.concord.replicator.capture;

import io.concord.replicator.config.ConcordConfig;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.state.Reconciler;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The configured tables, looked up by the schema and name a RELATION message gives. */
public final class CapturedTables {

    private final Map<String, CapturedTable> byName;

    private CapturedTables(Map<String, CapturedTable> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Builds every configured table's resolver and finds its key in the catalog when none is configured. */
    public static CapturedTables load(ConcordConfig config, ResolverRegistry resolvers, Connection connection)
            throws SQLException {
        Map<String, CapturedTable> tables = new HashMap<>();
        for (ConcordConfig.Table table : config.tables()) {
            List<String> key = table.configuredKey().orElse(null);
            if (key == null) {
                key = primaryKey(connection, table);
            }
            Reconciler reconciler = new Reconciler(table.qualifiedName(),
                    resolvers.create(table.resolver().name(), table.resolver().options()));
            tables.put(table.qualifiedName(), new CapturedTable(table.qualifiedName(), key, reconciler));
        }
        return new CapturedTables(tables);
    }

    /** The table, or null when the relation is not replicated. */
    CapturedTable get(String schema, String name) {
        return byName.get(schema + "." + name);
    }

    private static List<String> primaryKey(Connection connection, ConcordConfig.Table table) throws SQLException {
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
                if (names == null) {
                    throw new SQLException("table " + table.qualifiedName()
                            + " has no primary key and no key is configured (run concord check)");
                }
                return List.of((String[]) names.getArray());
            }
        }
    }
}
