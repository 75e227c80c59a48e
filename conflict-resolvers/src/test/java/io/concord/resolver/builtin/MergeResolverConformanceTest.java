package io.concord.resolver.builtin;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.conformance.OrdersTable;
import io.concord.resolver.conformance.ResolverConformance;
import java.util.Map;

/**
 * {@code merge} with every strategy in use and update-wins for deletes passes the kit, but for associativity:
 * see {@link ResolverConformance#associative()}.
 */
class MergeResolverConformanceTest extends ResolverConformance {

    @Override
    protected ConfiguredResolver resolver() {
        return ResolverRegistry.load().create("merge",
                Map.of("columns", OrdersTable.mergeColumns(), "update-delete", "update-wins"));
    }

    @Override
    protected boolean associative() {
        return false;
    }
}
