package io.concord.resolver.builtin;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.conformance.ResolverConformance;
import java.util.List;
import java.util.Map;

/** {@code priority} ranking b over a, with c, d, e unlisted, passes the kit. */
class PriorityResolverConformanceTest extends ResolverConformance {

    @Override
    protected ConfiguredResolver resolver() {
        return ResolverRegistry.load().create("priority", Map.of("order", List.of("b", "a")));
    }
}
