package io.concord.replicator.install;

import io.concord.replicator.config.ConcordConfig;
import java.util.Map;

/** What a table's resolver needs from PostgreSQL. */
public final class TableRequirements {

    private TableRequirements() {
    }

    /**
     * A {@code counter} column merges deltas (new minus old value), so every UPDATE must carry
     * the old row: REPLICA IDENTITY FULL.
     */
    public static boolean needsBeforeImage(ConcordConfig.Table table) {
        return "merge".equals(table.resolver().name())
                && table.resolver().options().get("columns") instanceof Map<?, ?> columns
                && columns.containsValue("counter");
    }
}
