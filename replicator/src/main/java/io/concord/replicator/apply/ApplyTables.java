package io.concord.replicator.apply;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.KeyColumns;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.state.Reconciler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured tables as they exist in this DC's database, read once from the catalog: a table that is
 * configured but missing here is known as missing, so that its events become dead letters naming it.
 */
public final class ApplyTables {

    private final Map<String, ApplyTable> present;
    private final Map<String, String> missing;

    private ApplyTables(Map<String, ApplyTable> present, Map<String, String> missing) {
        this.present = Map.copyOf(present);
        this.missing = Map.copyOf(missing);
    }

    /**
     * Builds every configured table's resolver (failing at once on a bad one) and reads its key and columns.
     */
    public static ApplyTables load(ConcordConfig config, ResolverRegistry resolvers, Connection connection)
            throws SQLException {
        Map<String, ApplyTable> present = new HashMap<>();
        Map<String, String> missing = new HashMap<>();
        for (ConcordConfig.Table table : config.tables()) {
            Reconciler reconciler = new Reconciler(table.qualifiedName(),
                    resolvers.create("tables." + table.qualifiedName() + ".resolver", table.resolver().name(),
                            table.resolver().options()));
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, String> casts = new LinkedHashMap<>();
            columns(connection, table, types, casts);
            if (types.isEmpty()) {
                missing.put(table.qualifiedName(), "table " + table.qualifiedName() + " does not exist in this DC");
                continue;
            }
            Optional<List<String>> key = KeyColumns.of(connection, table);
            if (key.isEmpty()) {
                missing.put(table.qualifiedName(), "table " + table.qualifiedName()
                        + " has no primary key here and no key is configured");
                continue;
            }
            present.put(table.qualifiedName(), new ApplyTable(table.qualifiedName(),
                    ApplyTable.quote(table.schema()) + "." + ApplyTable.quote(table.name()), key.get(), types, casts,
                    reconciler));
        }
        return new ApplyTables(present, missing);
    }

    /** The table, if it is configured and exists here. */
    Optional<ApplyTable> get(String qualifiedName) {
        return Optional.ofNullable(present.get(qualifiedName));
    }

    /** Why events of {@code qualifiedName} cannot be applied here. */
    String whyMissing(String qualifiedName) {
        return missing.getOrDefault(qualifiedName, "table " + qualifiedName + " is not replicated by this DC");
    }

    private static void columns(Connection connection, ConcordConfig.Table table, Map<String, String> types,
            Map<String, String> casts) throws SQLException {
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
                    types.put(rows.getString(1), rows.getString(2));
                    casts.put(rows.getString(1), rows.getString(3));
                }
            }
        }
    }
}
