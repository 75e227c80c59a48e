package io.concord.resolver.builtin;

import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnStates;
import io.concord.resolver.ColumnTracking;
import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictResolver;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverFactory;
import io.concord.resolver.ResolverOptions;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code merge}: settles a conflict column by column. A column changed on one side only keeps that
 * change; a column changed on both sides is settled by its strategy ({@link MergeStrategy}).
 *
 * <p>Options:
 * <ul>
 *   <li>{@code columns}: column → strategy ({@code lww}, {@code counter}, {@code max}, {@code min},
 *       {@code union}, {@code concat}); columns not listed use {@code lww};</li>
 *   <li>{@code separator} (default {@code ", "}): what {@code concat} puts between values.</li>
 * </ul>
 *
 * <p>It needs per-column state ({@link #tracking()}), kept by Concord from the table's first
 * captured write on: each column's values with the stamps of the writes that wrote them, and for
 * counters each DC's accumulated delta. Joining that state is commutative, associative and
 * idempotent, so the merged row is the same whatever the order versions meet in. Columns without
 * state (rows written before the table was configured for {@code merge}) take the value of the
 * later row.
 */
public final class MergeResolver implements ConflictResolver {

    private final Map<String, MergeStrategy> strategies;
    private final String separator;

    /** Merges with the given per-column strategies (others use lww) and concat separator. */
    public MergeResolver(Map<String, MergeStrategy> strategies, String separator) {
        this.strategies = Map.copyOf(strategies);
        this.separator = separator;
    }

    @Override
    public Resolution resolve(ConflictContext context) {
        VersionedRow local = context.local();
        VersionedRow remote = context.remote();
        ColumnStates joined = ColumnStates.join(local.columns(), local.version().vector(),
                remote.columns(), remote.version().vector());
        RowImage later = context.remoteIsNewer() ? remote.row() : local.row();
        RowImage earlier = context.remoteIsNewer() ? local.row() : remote.row();
        Set<String> names = new TreeSet<>(later.columns());
        names.addAll(earlier.columns());
        Map<String, Object> merged = new TreeMap<>();
        for (String name : names) {
            ColumnState state = joined.get(name);
            if (state != null) {
                merged.put(name, strategies.getOrDefault(name, MergeStrategy.LWW).read(state, separator));
            } else {
                merged.put(name, later.contains(name) ? later.get(name) : earlier.get(name));
            }
        }
        return Resolution.merged(context, RowImage.of(merged), joined);
    }

    @Override
    public ColumnTracking tracking() {
        return ColumnTracking.columns(strategies.entrySet().stream()
                .filter(e -> e.getValue() == MergeStrategy.COUNTER)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet()));
    }

    /** Publishes {@code merge} through {@link java.util.ServiceLoader}. */
    public static final class Factory implements ResolverFactory {
        @Override
        public String name() {
            return "merge";
        }

        @Override
        public MergeResolver create(ResolverOptions options) {
            Map<String, MergeStrategy> byName = new TreeMap<>();
            Arrays.stream(MergeStrategy.values()).forEach(s -> byName.put(s.optionValue(), s));
            Map<String, MergeStrategy> strategies = new TreeMap<>();
            options.stringMap("columns").forEach((column, strategy) -> {
                MergeStrategy chosen = byName.get(strategy);
                if (chosen == null) {
                    options.problem("columns." + column, strategy, "one of " + String.join(", ", byName.keySet()));
                } else {
                    strategies.put(column, chosen);
                }
            });
            String separator = options.string("separator", ", ");
            return new MergeResolver(strategies, separator);
        }
    }
}
