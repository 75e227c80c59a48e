package io.concord.resolver.builtin;

import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictResolver;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverFactory;
import io.concord.resolver.ResolverOptions;
import io.concord.resolver.VersionedRow;
import io.concord.version.DcId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code priority}: the version written by the higher-ranked DC wins, whole row; last-write-wins
 * breaks ties (both from one DC, or both from DCs not listed, which rank below every listed DC).
 *
 * <p>Option {@code order} (required): DC ids, highest priority first, e.g. {@code [a, b]}.
 *
 * <p>"Written by" is the DC of the version's own write: when three or more DCs conflict, Concord
 * settles the versions themselves, never a mix, so the rank always belongs to the row shown.
 */
public final class PriorityResolver implements ConflictResolver {

    private final List<DcId> order;

    /** A resolver ranking DCs in {@code order}, highest first. */
    public PriorityResolver(List<DcId> order) {
        this.order = List.copyOf(order);
    }

    @Override
    public Resolution resolve(ConflictContext context) {
        int local = rank(context.local());
        int remote = rank(context.remote());
        if (local != remote) {
            return remote < local ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
        }
        return context.remoteIsNewer() ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
    }

    /** 0 for the first DC listed; DCs not listed share the lowest rank. */
    private int rank(VersionedRow version) {
        int index = order.indexOf(version.version().dc());
        return index >= 0 ? index : order.size();
    }

    /** Publishes {@code priority} through {@link java.util.ServiceLoader}. */
    public static final class Factory implements ResolverFactory {
        @Override
        public String name() {
            return "priority";
        }

        @Override
        public PriorityResolver create(ResolverOptions options) {
            List<DcId> order = new ArrayList<>();
            for (String id : options.stringList("order")) {
                DcId dc;
                try {
                    dc = DcId.of(id);
                } catch (IllegalArgumentException e) {
                    options.problem("order", id, "DC ids of letters, digits, '.', '_' or '-'");
                    continue;
                }
                if (order.contains(dc)) {
                    options.problem("order", id, "each DC listed once");
                }
                order.add(dc);
            }
            return new PriorityResolver(order);
        }
    }
}
