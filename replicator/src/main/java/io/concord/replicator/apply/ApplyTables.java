package io.concord.replicator.apply;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.KeyColumns;
import io.concord.replicator.store.TableColumns;
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

    ApplyTables(Map<String, ApplyTable> present, Map<String, String> missing) {
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
        for (ConcordConfig.Table table : config.replicatedTables()) {
            Reconciler reconciler = new Reconciler(table.qualifiedName(),
                    resolvers.create("tables." + table.qualifiedName() + ".resolver", table.resolver().name(),
                            table.resolver().options()));
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, String> casts = new LinkedHashMap<>();
            TableColumns.of(connection, table).forEach((name, column) -> {
                types.put(name, column.typeName());
                casts.put(name, column.castType());
            });
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
            if (!KeyColumns.heldByUniqueIndex(connection, table, key.get())) {
                // Install refuses such a table; here it is one whose index went after.
                missing.put(table.qualifiedName(), "table " + table.qualifiedName() + " has no unique index of its key "
                        + key.get() + " here (that is not deferrable), and apply writes rows with ON CONFLICT on it");
                continue;
            }
            present.put(table.qualifiedName(), new ApplyTable(table.qualifiedName(),
                    ApplyTable.quote(table.schema()) + "." + ApplyTable.quote(table.name()), key.get(), types, casts,
                    reconciler, !hasRules(connection, table)));
        }
        return new ApplyTables(present, missing);
    }

    /** Whether the table has rules ({@code CREATE RULE}), which an insert fires and a copy does not. */
    private static boolean hasRules(Connection connection, ConcordConfig.Table table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.relhasrules FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ?""")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The table, if it is configured and exists here. */
    Optional<ApplyTable> get(String qualifiedName) {
        return Optional.ofNullable(present.get(qualifiedName));
    }

    /** Why events of {@code qualifiedName} cannot be applied here. */
    String whyMissing(String qualifiedName) {
        return missing.getOrDefault(qualifiedName, "table " + qualifiedName + " is not replicated by this DC");
    }
}
