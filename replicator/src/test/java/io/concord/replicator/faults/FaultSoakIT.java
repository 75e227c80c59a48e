package io.concord.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.testing.ClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The long run ({@code mvn -Psoak verify}; {@code -Dconcord.faults.soak=PT30M} by default): rounds of one to two
 * minutes of load, each with three to six faults of every kind mixed at random, checked like every scenario of
 * {@link FaultSuiteIT}; hostile input in the third round, and from the second round on one DC's clock runs 30 s
 * ahead. Stops at the first round that breaks a guarantee.
 */
@Tag("soak")
class FaultSoakIT {

    private static final FaultSettings SETTINGS = FaultSettings.fromSystemProperties();
    private static final Duration ROUND_OVERHEAD = Duration.ofSeconds(60);

    @RegisterExtension
    static final ClusterFixture cluster = ClusterFixture.datacenters("a", "b", "c").kafkaBrokers(3).killableBrokers();

    @RegisterExtension
    final PrintSeedOnFailure seed = new PrintSeedOnFailure(SETTINGS);

    private static FaultHarness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = FaultHarness.start(cluster, SETTINGS, "soak");
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void roundsOfMixedFaultsUntilTheTimeIsUp() throws Exception {
        Random random = new Random(SETTINGS.derive("soak"));
        long started = System.nanoTime();
        long deadline = started + SETTINGS.soak().toNanos();
        List<ScenarioResult> results = new ArrayList<>();
        for (int round = 1; ; round++) {
            Duration load = Duration.ofSeconds(60 + random.nextInt(61));
            if (System.nanoTime() + load.plus(ROUND_OVERHEAD).toNanos() > deadline && round > 1) {
                break;
            }
            ScenarioPlan plan = ScenarioPlan.mixed("soak round " + round, load, 3 + random.nextInt(4), random);
            if (round == 2) {
                plan = plan.withSkew(SuiteTable.DCS.get(random.nextInt(3)), Duration.ofSeconds(30));
            }
            if (round == 3) {
                plan = plan.during(new HostileStep(harness, 100_000, random));
            }
            ScenarioResult result = harness.runner().run(plan);
            results.add(result);
            if (!result.violations().isEmpty()) {
                break;
            }
        }
        System.out.println(summary(results, Duration.ofNanos(System.nanoTime() - started)));
        ScenarioResult last = results.get(results.size() - 1);
        assertThat(last.violations()).as(Report.failure(last, SETTINGS.replay())).isEmpty();
    }

    private static String summary(List<ScenarioResult> results, Duration took) {
        int writes = results.stream().mapToInt(ScenarioResult::writes).sum();
        int faults = results.stream().mapToInt(r -> r.faults().size()).sum();
        int conflicts = results.stream().mapToInt(r -> r.conflicts().distinct()).sum();
        int pairs = results.stream().mapToInt(r -> r.conflicts().concurrentPairs()).sum();
        double worstConverge = results.stream().mapToLong(r -> r.convergeTime().toMillis()).max().orElse(0) / 1000.0;
        double worstLag = results.stream().mapToLong(ScenarioResult::maxLagMillis).max().orElse(0) / 1000.0;
        return String.format("%n=== soak (seed %d): %d rounds in %d min, %d faults, %d committed row writes, %d conflicts"
                        + " (%d concurrent pairs), slowest convergence %.1f s, max lag %.1f s, %s ===%n",
                SETTINGS.seed(), results.size(), took.toMinutes(), faults, writes, conflicts, pairs, worstConverge,
                worstLag, results.stream().allMatch(r -> r.violations().isEmpty()) ? "all checks passed"
                        : "VIOLATIONS in round " + results.size());
    }
}
