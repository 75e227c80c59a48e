package io.concord.resolver.conformance;

import io.concord.resolver.conformance.History.Advance;
import io.concord.resolver.conformance.History.Deliver;
import io.concord.resolver.conformance.History.LocalWrite;
import io.concord.resolver.conformance.History.Step;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** jqwik generators of histories, shared by the conformance kit and the module's own properties. */
public final class Histories {

    private static final long TEN_MINUTES = 600_000_000L;

    private Histories() {
    }

    /**
     * Histories of 3 to 5 replicas with {@code minSteps} to {@code maxSteps} steps. Sizes and clock
     * skews are drawn uniformly: jqwik's default bias towards small values would make most
     * histories too short, and most skews too small, to find anything.
     */
    public static Arbitrary<History> histories(int minSteps, int maxSteps) {
        Arbitrary<Step> write = Combinators.combine(
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.longs())
                .as(LocalWrite::new);
        Arbitrary<Step> deliver = Combinators.combine(
                        Arbitraries.integers().between(0, 1_000),
                        Arbitraries.integers().between(0, 4))
                .as(Deliver::new);
        Arbitrary<Step> advance = Arbitraries.longs().between(1, 2 * TEN_MINUTES)
                .withDistribution(RandomDistribution.uniform()).map(Advance::new);
        @SuppressWarnings("unchecked")
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(5, write),
                Tuple.of(6, deliver),
                Tuple.of(1, advance));
        return Combinators.combine(
                        Arbitraries.integers().between(3, 5),
                        Arbitraries.longs().between(-TEN_MINUTES, TEN_MINUTES)
                                .withDistribution(RandomDistribution.uniform()).list().ofSize(5),
                        step.list().ofMinSize(minSteps).ofMaxSize(maxSteps)
                                .withSizeDistribution(RandomDistribution.uniform()),
                        Arbitraries.longs())
                .as(History::new);
    }
}
