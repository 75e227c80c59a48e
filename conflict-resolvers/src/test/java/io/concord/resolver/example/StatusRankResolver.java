package io.concord.resolver.example;

import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictResolver;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverOptions;
import io.concord.resolver.RowImage;
import java.util.List;

/**
 * Example custom resolver (shown in the module README): the row whose {@code status} ranks higher
 * wins; equal ranks fall back to last-write-wins.
 *
 * <p>Options: {@code ranks} (required), the statuses lowest first, e.g. {@code [new, paid, shipped]};
 * {@code column} (default {@code status}). A status not listed ranks below all listed ones.
 */
public final class StatusRankResolver implements ConflictResolver {

    private final String column;
    private final List<String> ranks;

    /** Reads the options; Concord reports any problem with them at start. */
    public StatusRankResolver(ResolverOptions options) {
        this.column = options.string("column", "status");
        this.ranks = options.stringList("ranks");
    }

    @Override
    public Resolution resolve(ConflictContext context) {
        int local = rank(context.local().row());
        int remote = rank(context.remote().row());
        if (local != remote) {
            return remote > local ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
        }
        return context.remoteIsNewer() ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
    }

    private int rank(RowImage row) {
        // An absent or NULL status ranks lowest, like an unknown one.
        return row.contains(column) ? ranks.indexOf(row.get(column)) : -1;
    }
}
