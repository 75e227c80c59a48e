package io.concord.replicator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Starts the servers, runs the chosen scenarios repetition by repetition, and gathers what they measured. */
final class Benchmark {

    /** At most this many warm-up backlogs (6-11 s each): after five, measured runs agreed within a few percent. */
    private static final int JVM_WARM_UP_MAX_ROUNDS = 5;
    /**
     * At most this many unmeasured Concord runs of their own load before scenarios 4 and 5 (40 and 22 s each). The
     * steady stream's per-transaction paths (the broker's transaction and fetch handling, the clients', apply's) run a
     * hundred to a few hundred times a second, and HotSpot compiles a method with C2 only after thousands of calls:
     * after three runs the JIT still took 4.2-4.5 s of CPU in the third and 2.7-4.3 s in the measured run (JFR: 372
     * compilations in it, mostly Kafka's), about a tenth of the machine. Each run roughly halves it.
     */
    private static final int LOAD_WARM_UP_MAX_RUNS = 6;

    /** Scenario ids in the order they run. */
    static final List<String> SCENARIOS = List.of("backlog-single", "backlog-batch", "backlog-updates", "steady-lag",
            "write-overhead", "conflicts");

    private final BenchSettings settings;
    private final Set<String> only;
    private final Progress progress;
    private final Map<String, Object> environment = new LinkedHashMap<>();

    Benchmark(BenchSettings settings, Set<String> only, Progress progress) {
        this.settings = settings;
        this.only = only;
        this.progress = progress;
    }

    /** Runs every scenario (a failing one is reported and the next one runs); returns their results. */
    List<ScenarioResult> run(boolean quick) throws Exception {
        long started = System.nanoTime();
        environment.put("started_at", Instant.now().toString());
        environment.put("quick", quick);
        environment.put("repetitions", settings.repetitions());
        environment.put("cpus", Runtime.getRuntime().availableProcessors());
        environment.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        environment.put("java", Runtime.version().toString());
        environment.put("kafka", kafkaVersion() + " (1 embedded broker)");
        // Before the servers start, on a machine at rest: what every statement and request pays here (HandOffCost).
        environment.put("hand_off", HandOffCost.measure().describe());
        List<ScenarioResult> results = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start()) {
            // Ctrl-C or SIGTERM mid-run: stop the servers and remove their data, as a normal end would.
            Thread cleanup = new Thread(cluster::close, "bench-shutdown");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                runAll(cluster, results, quick);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is closing the servers already.
                }
            }
        }
        environment.put("elapsed_seconds", Math.round((System.nanoTime() - started) / 1e9));
        return results;
    }

    private void runAll(BenchCluster cluster, List<ScenarioResult> results, boolean quick) throws Exception {
        environment.put("postgresql", cluster.postgresVersion() + " (a and b embedded, fsync on)");
        List<Scenario> scenarios = scenarios(cluster, quick);
        // Whatever the selection: `--only steady-lag` on a cold JVM measured the JIT (14-16 s of CPU in a 30 s run,
        // lag p50 55 ms against 32 ms warm), not Concord.
        if (!scenarios.isEmpty()) {
            int rounds = BacklogScenario.warmUpJvm(cluster, settings, progress, quick ? 1 : JVM_WARM_UP_MAX_ROUNDS);
            environment.put("jvm_warm_up", "%d unmeasured Concord backlog(s) of %d single-row tx before the first"
                    .formatted(rounds, settings.forJvmWarmUp().singleRowTransactions()) + " scenario, until the JIT"
                    + " compilers spent less than " + JitWarmUp.SETTLED_MILLIS + " ms of CPU in one");
        }
        for (Scenario scenario : scenarios) {
            ScenarioResult result = new ScenarioResult(scenario.id(), scenario.title(), scenario.parameters());
            results.add(result);
            try {
                for (int repetition = 0; repetition < settings.repetitions(); repetition++) {
                    scenario.run(repetition, result);
                }
            } catch (Exception e) {
                result.failed(e);
                progress.log("%s FAILED: %s", scenario.id(), e);
            }
        }
    }

    Map<String, Object> environment() {
        return environment;
    }

    /** The version kafka-clients was built as (its public AppInfoParser moved to an internal package). */
    private static String kafkaVersion() {
        try (InputStream in = Benchmark.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private List<Scenario> scenarios(BenchCluster cluster, boolean quick) {
        List<Scenario> all = List.of(
                new BacklogScenario(cluster, settings, BacklogScenario.Kind.SINGLE_ROW_INSERTS, progress),
                new BacklogScenario(cluster, settings, BacklogScenario.Kind.BATCHED_INSERTS, progress),
                new BacklogScenario(cluster, settings, BacklogScenario.Kind.UPDATES, progress),
                new SteadyLagScenario(cluster, settings, progress, quick ? 1 : LOAD_WARM_UP_MAX_RUNS),
                new WriteOverheadScenario(cluster, settings, progress, quick ? 1 : LOAD_WARM_UP_MAX_RUNS),
                new ConflictScenario(cluster, settings, progress));
        return all.stream().filter(scenario -> only.isEmpty() || only.contains(scenario.id())).toList();
    }
}
