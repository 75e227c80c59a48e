package io.concord.replicator.faults;

import static org.awaitility.Awaitility.await;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one scenario from start to verdict: a key range of its own, optional clock skew, hot keys seeded, the
 * load with its faults (and hostile input), then heal, settle in-doubt commits, wait for quiet (lag is watched
 * until then), and run every check on what the DCs hold.
 */
final class ScenarioRunner {

    private static final AtomicInteger SCENARIOS = new AtomicInteger();

    private final FaultHarness harness;
    private final Function<String, PostgresServer> postgres;
    private final List<String> extra = Collections.synchronizedList(new ArrayList<>());
    private final List<String> extraViolations = Collections.synchronizedList(new ArrayList<>());

    ScenarioRunner(FaultHarness harness) {
        this.harness = harness;
        this.postgres = harness.cluster::postgres;
    }

    /** A line for the report. */
    void report(String line) {
        extra.add(line);
    }

    /** A violation found by a scenario's own check. */
    void violation(String violation) {
        extraViolations.add(violation);
    }

    ScenarioResult run(ScenarioPlan plan) throws Exception {
        KeySpace keys = new KeySpace(SCENARIOS.incrementAndGet(),
                plan.hotKeys() > 0 ? plan.hotKeys() : harness.settings.hotKeys());
        if (plan.skewedDc() != null) {
            skew(plan.skewedDc(), plan.skew());
        }
        Workload workload = new Workload(postgres, harness.history, keys, harness.settings, plan.name(),
                plan.reinsertDeleted());
        workload.seedHotKeys();
        awaitHotKeysEverywhere(keys);

        FaultInjector injector = new FaultInjector(harness.cluster, harness.replicators);
        try (LagMonitor lag = new LagMonitor(postgres)) {
            long loadStart = System.nanoTime();
            workload.start();
            injector.start(plan.faults());
            StepThread step = plan.during() == null ? null : new StepThread(plan.during(), keys);
            Workload.Stats stats;
            try {
                Thread.sleep(Math.max(0, plan.load().toMillis() - (System.nanoTime() - loadStart) / 1_000_000));
            } finally {
                stats = workload.stop();
                if (step != null) {
                    step.finish();
                }
                injector.heal();
            }
            int[] settled = harness.history.settleInDoubt(postgres);
            Quiescence.Outcome quiet = new Quiescence(postgres, harness.history, harness.versions, FaultHarness.PREFIX)
                    .await(keys, harness.settings.convergeTimeout());
            return verdict(plan, keys, injector, stats, settled, quiet, lag.maxLagMillis(), lag.maxLagWhere());
        }
    }

    /** A scenario's step, on a thread of its own from a few seconds into the load; it may outlast the load. */
    private final class StepThread extends Thread {

        private final ScenarioPlan.Step step;
        private final KeySpace keys;

        StepThread(ScenarioPlan.Step step, KeySpace keys) {
            super("scenario-step");
            this.step = step;
            this.keys = keys;
            start();
        }

        @Override
        public void run() {
            try {
                Thread.sleep(3_000);
                step.run(keys, ScenarioRunner.this);
            } catch (Exception | AssertionError e) {
                violation("the scenario's step failed: " + e);
            }
        }

        void finish() throws InterruptedException {
            join(600_000);
            if (isAlive()) {
                interrupt();
                violation("the scenario's step did not finish within 10 minutes");
            }
        }
    }

    private ScenarioResult verdict(ScenarioPlan plan, KeySpace keys, FaultInjector injector, Workload.Stats stats,
            int[] settled, Quiescence.Outcome quiet, long maxLag, String maxLagWhere) throws Exception {
        List<String> violations = new ArrayList<>(injector.errors());
        violations.addAll(harness.replicators.unexpectedExits());
        harness.replicators.logLines("OutOfMemoryError").stream().limit(5)
                .forEach(line -> violations.add("a replicator ran out of memory: " + line));
        if (!quiet.converged()) {
            violations.add("not quiet and converged " + quiet.took().toSeconds() + " s after the load stopped: "
                    + quiet.missing());
        }
        harness.history.inDoubt(keys).stream().limit(5).forEach(w -> violations.add(
                "PostgreSQL cannot tell whether this write committed: " + w));
        violations.addAll(harness.versions.problems());

        Map<String, Snapshot> snapshots = new LinkedHashMap<>();
        Map<String, List<ConflictRows.Conflict>> conflicts = new LinkedHashMap<>();
        Map<String, List<DeadLetters.Letter>> letters = new LinkedHashMap<>();
        for (String dc : harness.cluster.datacenters()) {
            snapshots.put(dc, Snapshot.read(dc, postgres.apply(dc), keys));
            conflicts.put(dc, ConflictRows.read(dc, postgres.apply(dc), keys));
            letters.put(dc, DeadLetters.read(dc, postgres.apply(dc)));
        }
        RowHistories histories = RowHistories.of(harness.history, harness.versions, keys);
        violations.addAll(ConvergenceCheck.check(snapshots));
        violations.addAll(LossCheck.check(histories, snapshots));
        violations.addAll(CausalityCheck.check(histories));
        ConflictCheck.Outcome conflictOutcome = ConflictCheck.check(histories, conflicts);
        violations.addAll(conflictOutcome.violations());
        violations.addAll(harness.deadLetters.unexpected(letters));
        violations.addAll(extraViolations);
        if (plan.during() != null) {
            violations.addAll(plan.during().check(letters));
        }

        Map<String, Integer> events = new TreeMap<>();
        Map<String, Integer> deadLetterCounts = new TreeMap<>();
        for (String dc : harness.cluster.datacenters()) {
            events.put(dc, harness.versions.events(dc));
            deadLetterCounts.put(dc, letters.get(dc).size());
        }
        ScenarioResult result = new ScenarioResult(plan.name(), harness.settings.seed(), plan.faults(), injector.log(),
                stats, histories.writes(), settled, events, quiet.converged(), quiet.took(), maxLag, maxLagWhere,
                conflictOutcome.stats(), deadLetterCounts, List.copyOf(extra), violations);
        System.out.println(Report.of(result));
        return result;
    }

    /** Gives {@code dc}'s capture a skewed clock from now on: a graceful restart with the clock-skew hook. */
    private void skew(String dc, Duration by) throws Exception {
        harness.replicators.jvmOptions(dc, List.of("-Dconcord.clock-skew=" + by));
        String unclean = harness.replicators.stop(dc);
        if (unclean != null) {
            violation(unclean);
        }
        harness.replicators.start(dc);
        harness.replicators.awaitActive(dc);
        report("clock skew:      DC " + dc + "'s capture clock runs " + by + " off from now on");
    }

    private void awaitHotKeysEverywhere(KeySpace keys) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            for (String dc : harness.cluster.datacenters()) {
                try (Connection connection = postgres.apply(dc).connect();
                     PreparedStatement statement = connection.prepareStatement(String.join(" UNION ALL ",
                             Arrays.stream(SuiteTable.values()).map(t -> "SELECT count(*) FROM " + t.tableName()
                                     + " WHERE id >= ? AND id < ?").toList()))) {
                    for (int i = 0; i < SuiteTable.values().length; i++) {
                        statement.setLong(2 * i + 1, keys.from());
                        statement.setLong(2 * i + 2, keys.from() + keys.hotKeys().size());
                    }
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getInt(1) != keys.hotKeys().size()) {
                                return false;
                            }
                        }
                    }
                }
            }
            return true;
        });
    }
}
