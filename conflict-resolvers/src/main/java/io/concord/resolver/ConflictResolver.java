package io.concord.resolver;

/**
 * Decides a row when two DCs wrote it without seeing each other's write.
 *
 * <h2>When it is called</h2>
 * Concord compares version vectors before it calls a resolver. A remote write that has seen the
 * local version simply replaces it, and one the local version has already seen is skipped; only
 * <em>concurrent</em> versions reach a resolver, whatever the wall clocks say. Both sides of the
 * {@link ConflictContext} are then live rows ({@link #resolve}) or one is a tombstone
 * ({@link #resolveDelete}); two deletes agree and never reach a resolver.
 *
 * <h2>What it must guarantee</h2>
 * Every DC settles the same conflicts independently, in whatever order the versions arrive. For
 * all of them to end with the same row, a resolver must be:
 * <ul>
 *   <li><b>deterministic</b>: a pure function of the context — no clock, no randomness, no I/O,
 *       no state that differs between DCs (configuration is fine);</li>
 *   <li><b>commutative</b>: the same row whichever side is local;</li>
 *   <li><b>associative</b>: settling a with b and then with c gives the row settling b with c and
 *       then with a would.</li>
 * </ul>
 * Concord keeps every concurrent version of a row until a later write supersedes them and settles
 * them in a fixed order (by {@code (hlc, dc)}), so replicas converge even if a resolver falls short
 * of the last two; but a resolver that has them gives rows that do not depend on that order. The
 * conformance kit in this module's test jar ({@code io.concord.resolver.conformance.ResolverConformance})
 * checks all three, plus convergence over generated histories, for any resolver.
 *
 * <h2>How to write one</h2>
 * Implement {@link #resolve}, return a {@link Resolution} built with its static factories, and give
 * the class either a public constructor taking {@link ResolverOptions} (to read options) or a public
 * no-argument one. Name the class in the table's configuration ({@code resolver: com.acme.MyResolver})
 * or publish a {@link ResolverFactory} through {@code ServiceLoader} to give it a short name.
 * A minimal example — the higher status wins, then last-write-wins:
 * <pre>{@code
 * public final class StatusRankResolver implements ConflictResolver {
 *     private final List<String> ranks;
 *
 *     public StatusRankResolver(ResolverOptions options) {
 *         ranks = options.stringList("ranks");          // e.g. [new, paid, shipped]
 *     }
 *
 *     public Resolution resolve(ConflictContext context) {
 *         int local = ranks.indexOf(context.local().row().get("status"));
 *         int remote = ranks.indexOf(context.remote().row().get("status"));
 *         if (local != remote) {
 *             return remote > local ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
 *         }
 *         return context.remoteIsNewer() ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
 *     }
 * }
 * }</pre>
 * Every resolver also accepts two options handled by Concord: {@code update-delete}
 * ({@code lww}, {@code delete-wins}, {@code update-wins}; see {@link UpdateDeletePolicy}) and
 * {@code record} ({@code true} records every conflict of the table).
 */
public interface ConflictResolver {

    /**
     * Settles a conflict between two live rows ({@link ConflictType#INSERT_INSERT} or
     * {@link ConflictType#UPDATE_UPDATE}).
     */
    Resolution resolve(ConflictContext context);

    /**
     * Settles a conflict where one side is a tombstone ({@link ConflictType#UPDATE_DELETE} or
     * {@link ConflictType#DELETE_UPDATE}). By default the table's {@code update-delete} option
     * decides; override only to decide otherwise (for example "a shipped order is never deleted").
     */
    default Resolution resolveDelete(ConflictContext context) {
        return context.updateDelete().resolve(context);
    }

    /**
     * The per-column state this resolver needs kept for its table; none by default. Resolvers that
     * merge column by column declare it here (see {@link ColumnTracking}).
     */
    default ColumnTracking tracking() {
        return ColumnTracking.NONE;
    }
}
