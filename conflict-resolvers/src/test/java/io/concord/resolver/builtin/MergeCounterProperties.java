package io.concord.resolver.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.conformance.Histories;
import io.concord.resolver.conformance.History;
import io.concord.resolver.conformance.OrdersTable;
import io.concord.resolver.conformance.Simulation;
import io.concord.resolver.state.RowState;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A {@code counter} column ends at its initial value plus every delta, each counted once, in every delivery order. */
class MergeCounterProperties {

    private final ConfiguredResolver merge = ResolverRegistry.load()
            .create("merge", Map.of("columns", OrdersTable.mergeColumns()));

    @Property(tries = 1_000)
    void counterEndsAtInitialValuePlusEveryDelta(@ForAll("histories") History history) {
        // One insert everyone receives first, then concurrent updates only: "initial value" is then well defined.
        Simulation simulation = new Simulation(merge, new OrdersTable(), history.replicas(), history.skewMicros(), false);
        long initial = (Long) simulation.write(0, 0, history.deliverySeed()).row().row().get("qty");
        for (int replica = 0; replica < simulation.size(); replica++) {
            simulation.deliver(0, replica);
        }
        history.steps().forEach(simulation::apply);
        simulation.deliverEverything(new Random(history.deliverySeed()));

        long expected = initial + simulation.counterDeltaSum();
        for (RowState state : simulation.states()) {
            assertThat(state.current().row().get("qty")).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(10, 60);
    }
}
