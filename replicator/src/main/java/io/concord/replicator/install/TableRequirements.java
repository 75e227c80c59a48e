package io.concord.replicator.install;

import io.concord.replicator.config.ConcordConfig;
import io.concord.resolver.ResolverRegistry;

/** What a table's resolver needs from PostgreSQL. */
public final class TableRequirements {

    private static final ResolverRegistry RESOLVERS = ResolverRegistry.load();

    private TableRequirements() {
    }

    /**
     * A resolver that merges column by column must know which columns a write changed, and a
     * counter column merges deltas (new minus old): both need the old row with every UPDATE,
     * which PostgreSQL sends only under REPLICA IDENTITY FULL.
     */
    public static boolean needsBeforeImage(ConcordConfig.Table table) {
        return RESOLVERS.create(table.resolver().name(), table.resolver().options()).resolver().tracking().enabled();
    }
}
