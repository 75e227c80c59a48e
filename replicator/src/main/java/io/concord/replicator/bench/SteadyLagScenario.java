package io.concord.replicator.bench;

import io.concord.replicator.apply.ApplyPhases;
import io.concord.replicator.capture.CapturePhases;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.FutureTask;

/**
 * Scenario 4: a steady stream of single-row transactions on {@code a} at a fixed rate, replicated live; the lag
 * of each row is the time it became visible on {@code b} ({@link LagProbe}) minus its commit timestamp on
 * {@code a} ({@code track_commit_timestamp}, stamped just before the commit's WAL flush, so the lag includes
 * that flush). Each system runs alone on fresh databases, Concord with its default settings, and first writes at
 * the same rate for the warm-up time (rows the probe does not watch) until {@code b} has them: a cold start's first
 * seconds are not measured. The CPU every part spent meanwhile is measured too ({@link CpuMeter}).
 */
final class SteadyLagScenario implements Scenario {

    /** The warm-up's rows: ids the probe never looks at (it watches 1..rows). */
    private static final long WARMUP_FIRST_ID = 1_000_000_001L;

    private final BenchCluster cluster;
    private final int warmUpMaxRuns;
    private final BenchSettings settings;
    private final Progress progress;

    SteadyLagScenario(BenchCluster cluster, BenchSettings settings, Progress progress, int warmUpMaxRuns) {
        this.warmUpMaxRuns = warmUpMaxRuns;
        this.cluster = cluster;
        this.settings = settings;
        this.progress = progress;
    }

    @Override
    public String id() {
        return "steady-lag";
    }

    @Override
    public String title() {
        return "4 steady lag, %,d single-row tx/s for %d s".formatted(settings.lagRate(),
                settings.lagDuration().toSeconds());
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("transactions_per_second", settings.lagRate());
        parameters.put("seconds", settings.lagDuration().toSeconds());
        parameters.put("warmup_seconds", settings.lagWarmup().toSeconds());
        parameters.put("writer_connections", settings.lagWriters());
        parameters.put("probe_period_ms", LagProbe.PERIOD_MICROS / 1000.0);
        return parameters;
    }

    @Override
    public void run(int repetition, ScenarioResult result) throws Exception {
        if (repetition == 0) {
            result.note(JitWarmUp.note("the same load", warmUpJvm(), warmUpMaxRuns));
        }
        for (String system : Scenario.order(repetition)) {
            runOnce(system, result);
        }
        new KafkaFloor(cluster, settings, progress).measure(result);
        result.note("before each run, " + settings.lagWarmup().toSeconds() + " s of the same writes (rows not"
                + " measured) and a wait until b has them, so that a cold start's first seconds are not measured (the JIT"
                + " may still be compiling: see jvm jit in the cpu line)");
        result.note("cpu = CPU time of every process and thread involved (both PostgreSQL servers, writer's"
                + " backends included; the bench JVM: Concord, the embedded broker, the writer, the probe) from the"
                + " writer's start until b had every row, per row written");
        result.note("waited for a core = time the replication's processes and threads (on each server walsenders,"
                + " logical replication workers and Concord's sessions; in the bench JVM every thread but the"
                + " bench's own: Concord, the broker, Kafka's clients, the JIT and GC) spent runnable but waiting for a"
                + " CPU (the run queue, /proc/*/schedstat), per row written");
        result.note("lag = time the row was first seen on b by a poller (every " + LagProbe.PERIOD_MICROS / 1000
                + " ms, by primary key) minus pg_xact_commit_timestamp on a; late by less than one poll cycle"
                + " (see probe cycle)");
    }

    /**
     * Unmeasured Concord runs of this load ({@link JitWarmUp}); returns how many ran. The bench's JVM warm-up runs
     * backlogs, whose batches are large; a steady stream makes small ones all the time — a Kafka transaction every
     * few milliseconds, apply's small batches — code the JIT had not compiled yet: in three sets of three repetitions
     * without these runs, Concord's runs took 6.4-8.2 s, 4.5-6.4 s and 1.4-1.8 s of the two cores' CPU in the JIT, in
     * that order (session 15).
     */
    private int warmUpJvm() throws Exception {
        return JitWarmUp.until(progress, id() + ": JVM warm-up", warmUpMaxRuns, round -> {
            progress.log("%s: JVM warm-up %d, one unmeasured Concord run (its lines follow)", id(), round);
            runOnce("concord", new ScenarioResult(id(), title(), parameters()));
        });
    }

    /** Writes at the scenario's rate for the warm-up time, ids far above the measured ones, until b has them. */
    private void warmUp(ReplicatedPair pair) throws Exception {
        if (settings.lagWarmup().isZero()) {
            return;
        }
        RateLimitedWriter warmup = new RateLimitedWriter(pair.source(), settings.lagRate(), settings.lagWarmup(),
                settings.lagWriters(), WARMUP_FIRST_ID);
        warmup.run();
        Waits.until("the warm-up rows to reach " + pair.target(), settings.applyTimeout(),
                () -> pair.target().queryLong("SELECT count(*) FROM items WHERE id >= ?", WARMUP_FIRST_ID)
                        == warmup.rows());
    }

    private void runOnce(String system, ScenarioResult result) throws Exception {
        try (ReplicatedPair pair = ReplicatedPair.start(cluster, system, "lww")) {
            pair.awaitFlowing(settings.applyTimeout());
            warmUp(pair);
            CpuMeter cpu = new CpuMeter(pair.source(), pair.target());
            RateLimitedWriter writer = new RateLimitedWriter(pair.source(), settings.lagRate(), settings.lagDuration(),
                    settings.lagWriters());
            LagProbe probe = new LagProbe(pair.target(), (int) writer.rows());
            FutureTask<Void> probing = new FutureTask<>(() -> {
                probe.awaitAll(settings.lagDuration().plus(settings.applyTimeout()));
                return null;
            });
            new Thread(probing, "bench-lag-probe").start();
            Map<CapturePhases.Phase, Long> captureBefore = pair.replication() instanceof ConcordReplication concord
                    ? concord.captureSlowestAndPhases() : Map.of();
            if (pair.replication() instanceof ConcordReplication concord) {
                concord.slowestApplyBatch(); // the warm-up's is not this run's
            }
            // Sampled outside the CPU's window: each sample opens a session on both servers.
            CoreWaits waits = new CoreWaits(Map.of("postgres a", pair.source(), "postgres b", pair.target()));
            CoreWaits.Sample waitsBefore = waits.sample();
            Map<String, Long> cpuBefore = cpu.sample();
            RateLimitedWriter.Outcome written = writer.run();
            probing.get();
            Map<String, Long> cpuSpent = CpuMeter.apart(CpuMeter.apart(CpuMeter.spent(cpuBefore, cpu.sample()),
                    "bench writer", written.cpuNanos()), "bench probe", probe.cpuNanos());
            Map<String, Long> waited = CoreWaits.between(waitsBefore, waits.sample());
            double[] lags = probe.lagsMillis(pair.source());
            Arrays.sort(lags);
            double[] cycles = Samples.sorted(probe.cycleMillis());
            result.add("lag p50", "ms", false, system, Samples.percentile(lags, 50));
            result.add("lag p99", "ms", false, system, Samples.percentile(lags, 99));
            result.add("lag max", "ms", false, system, lags[lags.length - 1]);
            result.add("writer rate reached", "tx/s", true, system, written.achievedRate());
            result.add("probe cycle p99", "ms", false, system, Samples.percentile(cycles, 99));
            if (cpu.available()) {
                result.add("cpu per row", "µs", false, system, CpuMeter.total(cpuSpent) / 1e3 / writer.rows());
                progress.log("%s %s: cpu from the first write until b had all: %s", id(), system, CpuMeter.describe(cpuSpent));
            }
            if (!waited.isEmpty()) {
                result.add("waited for a core per row", "µs", false, system,
                        CpuMeter.total(waited) / 1e3 / writer.rows());
                progress.log("%s %s: waited for a core meanwhile (run queue): %s", id(), system,
                        CpuMeter.describe(waited));
            }
            progress.log("%s %s: lag p50 %.1f ms, p99 %.1f ms, max %.1f ms (writer %,.0f tx/s, probe cycle p50 %.2f"
                    + " ms)", id(), system, Samples.percentile(lags, 50), Samples.percentile(lags, 99),
                    lags[lags.length - 1], written.achievedRate(), Samples.percentile(cycles, 50));
            if (pair.replication() instanceof ConcordReplication concord) {
                CapturePhases.Batch slowest = concord.slowestCaptureBatch();
                progress.log("%s concord: capture's time by step: %s; its slowest batch: %s", id(),
                        concord.capturePhasesSince(captureBefore), slowest == null ? "none" : slowest);
                ApplyPhases.Batch slowestApply = concord.slowestApplyBatch();
                progress.log("%s concord: apply's time by step: %s; its slowest batch: %s", id(), concord.applyPhases(),
                        slowestApply == null ? "none" : slowestApply);
                long[] publishedMicros = Arrays.stream(concord.publishedMillis(probe.rows())).map(m -> m * 1000)
                        .toArray();
                double[][] split = probe.lagSplitMillis(pair.source(), publishedMicros);
                progress.log("%s concord: of the lag, commit on a -> sent to Kafka by capture p50 %.1f ms, p99 %.1f ms;"
                        + " sent -> visible on b p50 %.1f ms, p99 %.1f ms (%,d rows, %,d apply batches)", id(),
                        Samples.percentile(split[0], 50), Samples.percentile(split[0], 99),
                        Samples.percentile(split[1], 50), Samples.percentile(split[1], 99), split[0].length,
                        concord.applyBatches());
            }
        }
    }
}
