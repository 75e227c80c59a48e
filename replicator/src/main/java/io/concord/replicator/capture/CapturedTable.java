package io.concord.replicator.capture;

import io.concord.resolver.state.Reconciler;
import java.util.List;

/**
 * A replicated table as capture needs it: its name, its key columns (primary key or the
 * configured key) and the reconciler that versions its rows.
 */
record CapturedTable(String qualifiedName, List<String> keyColumns, Reconciler reconciler) {

    CapturedTable {
        keyColumns = List.copyOf(keyColumns);
    }
}
