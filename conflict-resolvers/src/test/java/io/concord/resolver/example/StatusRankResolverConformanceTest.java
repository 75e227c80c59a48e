package io.concord.resolver.example;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.conformance.OrdersTable;
import io.concord.resolver.conformance.ResolverConformance;
import java.util.Map;

/** The example custom resolver, loaded by class name as a configuration would name it, passes the kit. */
class StatusRankResolverConformanceTest extends ResolverConformance {

    @Override
    protected ConfiguredResolver resolver() {
        return ResolverRegistry.load().create(StatusRankResolver.class.getName(),
                Map.of("ranks", OrdersTable.STATUSES));
    }
}
