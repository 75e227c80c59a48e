package io.concord.resolver.builtin;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.conformance.ResolverConformance;
import java.util.Map;

/** {@code lww} with the default update/delete policy passes the kit, deletes included in associativity. */
class LwwResolverConformanceTest extends ResolverConformance {

    @Override
    protected ConfiguredResolver resolver() {
        return ResolverRegistry.load().create("lww", Map.of());
    }

    @Override
    protected boolean associativeWithDeletes() {
        return true;
    }
}
