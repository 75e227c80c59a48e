package io.concord.resolver.builtin;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.conformance.ResolverConformance;
import java.util.List;
import java.util.Map;

/** {@code record} with a priority winner and delete-wins passes the kit. */
class RecordResolverConformanceTest extends ResolverConformance {

    @Override
    protected ConfiguredResolver resolver() {
        return ResolverRegistry.load().create("record",
                Map.of("winner", "priority", "order", List.of("c", "a"), "update-delete", "delete-wins"));
    }
}
