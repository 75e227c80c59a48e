package io.concord.resolver.builtin;

import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictResolver;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverFactory;
import io.concord.resolver.ResolverOptions;

/**
 * {@code lww}: the later write by {@code (hlc, dc)} wins, whole row. Takes no options of its own.
 *
 * <p>Since a write made after seeing another always has the larger {@code hlc}, "later" respects
 * causality even across skewed clocks; between truly concurrent writes it is an arbitrary but
 * agreed order, and the losing write is lost — record the table ({@code record: true}) if that
 * matters.
 */
public final class LwwResolver implements ConflictResolver {

    @Override
    public Resolution resolve(ConflictContext context) {
        return context.remoteIsNewer() ? Resolution.applyRemote(context) : Resolution.keepLocal(context);
    }

    /** Publishes {@code lww} through {@link java.util.ServiceLoader}. */
    public static final class Factory implements ResolverFactory {
        @Override
        public String name() {
            return "lww";
        }

        @Override
        public LwwResolver create(ResolverOptions options) {
            return new LwwResolver();
        }
    }
}
