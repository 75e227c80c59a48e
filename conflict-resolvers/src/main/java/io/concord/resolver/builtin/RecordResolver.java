package io.concord.resolver.builtin;

import io.concord.resolver.ColumnTracking;
import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictResolver;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverFactory;
import io.concord.resolver.ResolverOptions;
import java.util.Objects;

/**
 * {@code record}: applies a deterministic interim winner so that all DCs still converge, and marks
 * every conflict to be recorded in {@code concord.conflicts} for a person or the application to
 * settle later (by writing the row again: a new write dominates both versions).
 *
 * <p>Option {@code winner} (default {@code lww}): the resolver that picks the interim row, by short
 * name or class name. Every other option is passed on to it, e.g.
 * {@code {winner: priority, order: [a, b]}}.
 */
public final class RecordResolver implements ConflictResolver {

    private final ConflictResolver winner;

    /** Records every conflict; {@code winner} decides the interim row. */
    public RecordResolver(ConflictResolver winner) {
        this.winner = Objects.requireNonNull(winner, "winner");
    }

    @Override
    public Resolution resolve(ConflictContext context) {
        return winner.resolve(context).recorded();
    }

    @Override
    public Resolution resolveDelete(ConflictContext context) {
        return winner.resolveDelete(context).recorded();
    }

    @Override
    public ColumnTracking tracking() {
        return winner.tracking();
    }

    /** Publishes {@code record} through {@link java.util.ServiceLoader}. */
    public static final class Factory implements ResolverFactory {
        @Override
        public String name() {
            return "record";
        }

        @Override
        public RecordResolver create(ResolverOptions options) {
            String winner = options.string("winner", "lww");
            if (winner.equals(name())) {
                options.problem("winner", winner, "a resolver other than record itself");
                winner = "lww";
            }
            return new RecordResolver(options.resolver(winner, options.forward()));
        }
    }
}
