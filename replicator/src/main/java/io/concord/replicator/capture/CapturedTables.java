package io.concord.replicator.capture;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.store.KeyColumns;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.state.Reconciler;
import java.sql.Connection;
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
        for (ConcordConfig.Table table : config.replicatedTables()) {
            List<String> key = KeyColumns.of(connection, table).orElseThrow(() -> new SQLException("table "
                    + table.qualifiedName() + " has no primary key and no key is configured (run concord check)"));
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
}
