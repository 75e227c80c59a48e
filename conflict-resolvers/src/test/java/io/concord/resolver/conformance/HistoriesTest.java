package io.concord.resolver.conformance;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.state.RowState;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The generated histories exercise what the kit claims to check: conflicts, several siblings,
 * deletes and large clock skews must be common, or passing properties would prove little.
 */
class HistoriesTest {

    private static final long MINUTE = 60_000_000L;
    private final ConfiguredResolver lww = ResolverRegistry.load().create("lww", Map.of());

    @Property(tries = 300)
    void historiesAreRichEnoughToFindBugs(@ForAll("histories") History history) {
        Simulation simulation = Simulation.of(lww, new OrdersTable(), history).runToQuiescence(history);
        RowState converged = simulation.states().get(0);
        long maxSkew = history.skewMicros().subList(0, history.replicas()).stream().mapToLong(Math::abs).max().orElse(0);
        Statistics.label("conflicts").collect(simulation.conflicts() >= 5);
        Statistics.label("siblings").collect(converged.siblings().size() >= 3);
        Statistics.label("deletes").collect(simulation.writes().stream().anyMatch(w -> w.row().isTombstone()));
        Statistics.label("skew").collect(maxSkew > MINUTE);

        Statistics.label("conflicts").coverage(c -> c.check(true).percentage(p -> p > 80));
        Statistics.label("siblings").coverage(c -> c.check(true).percentage(p -> p > 50));
        Statistics.label("deletes").coverage(c -> c.check(true).percentage(p -> p > 50));
        Statistics.label("skew").coverage(c -> c.check(true).percentage(p -> p > 80));
    }

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories(10, 60);
    }
}
