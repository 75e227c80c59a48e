package io.concord.replicator.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenarios 1 to 3: a backlog written on {@code a} while apply is paused, then applied on {@code b}.
 *
 * <p>Each system runs alone on fresh databases (a shared source would make native decode Concord's own state
 * writes): it replicates the marker row (and, for updates, the rows to update) live, pauses, the backlog is
 * written between a start and an end marker, and apply resumes, timed until the end marker is visible on
 * {@code b}. The target then must equal the source, row for row.
 */
final class BacklogScenario implements Scenario {

    /** What the backlog is made of. */
    enum Kind { SINGLE_ROW_INSERTS, BATCHED_INSERTS, UPDATES }

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Kind kind;
    private final Progress progress;
    /** The unmeasured run before the backlogs ({@link #warmUpJvm}): its log lines must not pass for a measurement. */
    private final boolean warmUp;

    BacklogScenario(BenchCluster cluster, BenchSettings settings, Kind kind, Progress progress) {
        this(cluster, settings, kind, progress, false);
    }

    private BacklogScenario(BenchCluster cluster, BenchSettings settings, Kind kind, Progress progress,
            boolean warmUp) {
        this.cluster = cluster;
        this.settings = settings;
        this.kind = kind;
        this.progress = progress;
        this.warmUp = warmUp;
    }

    @Override
    public String id() {
        if (warmUp) {
            return "jvm-warm-up";
        }
        return switch (kind) {
            case SINGLE_ROW_INSERTS -> "backlog-single";
            case BATCHED_INSERTS -> "backlog-batch";
            case UPDATES -> "backlog-updates";
        };
    }

    @Override
    public String title() {
        return switch (kind) {
            case SINGLE_ROW_INSERTS -> "1 backlog, %,d single-row INSERT tx".formatted(settings.singleRowTransactions());
            case BATCHED_INSERTS -> "2 backlog, %,d tx of %,d rows".formatted(settings.batchTransactions(),
                    settings.rowsPerBatchTransaction());
            case UPDATES -> "3 backlog, %,d single-row UPDATE tx".formatted(settings.updates());
        };
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        switch (kind) {
            case SINGLE_ROW_INSERTS -> {
                parameters.put("transactions", settings.singleRowTransactions());
                parameters.put("rows_per_transaction", 1);
            }
            case BATCHED_INSERTS -> {
                parameters.put("transactions", settings.batchTransactions());
                parameters.put("rows_per_transaction", settings.rowsPerBatchTransaction());
            }
            case UPDATES -> {
                parameters.put("transactions", settings.updates());
                parameters.put("rows_per_transaction", 1);
                parameters.put("existing_rows", settings.updatedRows());
            }
        }
        return parameters;
    }

    /** Row changes in the backlog, markers excluded. */
    private long backlogRows() {
        return switch (kind) {
            case SINGLE_ROW_INSERTS -> settings.singleRowTransactions();
            case BATCHED_INSERTS -> (long) settings.batchTransactions() * settings.rowsPerBatchTransaction();
            case UPDATES -> settings.updates();
        };
    }

    /** Row changes written on {@code a} before the pause: the marker, and for updates the rows to update. */
    private long rowsBeforePause() {
        return 1 + (kind == Kind.UPDATES ? settings.updatedRows() : 0);
    }

    @Override
    public void run(int repetition, ScenarioResult result) throws Exception {
        for (String system : Scenario.order(repetition)) {
            runOnce(system, result);
        }
        if (kind == Kind.BATCHED_INSERTS) {
            new SqlFloor(cluster, settings, progress).measure(result);
        } else if (kind == Kind.UPDATES) {
            new SqlFloor(cluster, settings, progress).measureUpdates(result);
        }
        result.note("apply rate = backlog rows / (end marker visible on b - start marker visible on b), polled every "
                + MarkerProbe.POLL_MICROS / 1000 + " ms; catch-up = resume to end marker visible, which for Concord"
                + " includes starting b's runtime (Kafka Streams joining its group)");
        result.note("cpu per row = CPU time of both PostgreSQL servers and of the bench JVM (Concord, the embedded"
                + " broker) from resume to caught up, per backlog row; Concord's capture ran before that, native's"
                + " decoding is inside it");
        result.note("Concord's backlog is captured and in Kafka before apply resumes: its capture is paused while the"
                + " backlog is written, then resumed alone (capture rate = changes published after the first batch seen"
                + " / time from that batch to the last change,"
                + " polled every " + ConcordReplication.CAPTURE_POLL_MICROS / 1000 + " ms; capture cpu per event ="
                + " CPU of both servers and this JVM meanwhile, per change); native's is decoded by its walsender"
                + " after the subscription is enabled, inside the timed window");
    }

    /**
     * Unmeasured Concord runs of a small single-row backlog, until one passes with the JIT compilers nearly done
     * (their threads spent less than {@link JitWarmUp#SETTLED_MILLIS} of CPU in it), at most {@code maxRounds}; returns
     * how many ran. In a fresh JVM the JIT took about a third of the machine's CPU during the first backlog (perf:
     * C2 35% of samples), a cost a running replicator pays once, at start. One warm-up backlog was not enough:
     * the next three measured runs still compiled for 2-4 s each and applied 28-36k rows/s against 44-52k after
     * them (alternating runs, one JVM); after five, the three measured runs applied 40.6k, 40.9k and 41.0k. Native
     * needs no such runs: PostgreSQL is compiled ahead of time.
     */
    static int warmUpJvm(BenchCluster cluster, BenchSettings settings, Progress progress, int maxRounds)
            throws Exception {
        BenchSettings small = settings.forJvmWarmUp();
        return JitWarmUp.until(progress, "jvm warm-up", maxRounds, round -> {
            BacklogScenario warmUp = new BacklogScenario(cluster, small, Kind.SINGLE_ROW_INSERTS, progress, true);
            ScenarioResult discarded = new ScenarioResult(warmUp.id(), "", Map.of());
            progress.log("jvm warm-up %d: one unmeasured Concord backlog of %,d single-row tx", round,
                    small.singleRowTransactions());
            warmUp.runOnce("concord", discarded);
            if (discarded.error() != null) {
                throw new IllegalStateException("the JVM warm-up run went wrong: " + discarded.error());
            }
        });
    }

    private void runOnce(String system, ScenarioResult result) throws Exception {
        long begun = System.nanoTime();
        long[] marks = new long[3];
        try (ReplicatedPair pair = ReplicatedPair.start(cluster, system, "lww")) {
            Db source = pair.source();
            Db target = pair.target();
            BacklogLoader.insertMarker(source);
            if (kind == Kind.UPDATES) {
                BacklogLoader.preload(source, settings.updatedRows());
            }
            Waits.until("the rows written before the pause to reach " + target, settings.applyTimeout(),
                    () -> target.queryLong("SELECT count(*) FROM items") == rowsBeforePause());
            pair.replication().pauseApply();
            ConcordReplication concord = pair.replication() instanceof ConcordReplication c ? c : null;
            if (concord != null) {
                concord.pauseCapture();
            }
            marks[0] = System.nanoTime();
            writeBacklog(source);
            String expected = source.itemsChecksum();
            marks[1] = System.nanoTime();
            if (concord != null) {
                measureCapture(concord, source, target, result);
            }
            marks[2] = System.nanoTime();
            measure(pair.replication(), source, target, expected, result);
        }
        long ended = System.nanoTime();
        progress.log("%s %s: run took %.1f s: set up and paused %.1f s, backlog written %.1f s, captured %.1f s,"
                + " applied, checked and torn down %.1f s", id(), system, (ended - begun) / 1e9,
                (marks[0] - begun) / 1e9, (marks[1] - marks[0]) / 1e9, (marks[2] - marks[1]) / 1e9,
                (ended - marks[2]) / 1e9);
    }

    /**
     * Concord's capture of the backlog, alone: resumed once the backlog is written, timed from its first change
     * published to its last. Native has no such step to time (its walsender decodes while it applies).
     */
    private void measureCapture(ConcordReplication concord, Db source, Db target, ScenarioResult result)
            throws Exception {
        long changes = backlogRows() + 2;
        CpuMeter cpu = new CpuMeter(source, target);
        Map<String, Long> cpuBefore = cpu.sample();
        ConcordReplication.CaptureRun run = concord.captureBacklog(changes);
        Map<String, Long> cpuSpent = CpuMeter.spent(cpuBefore, cpu.sample());
        result.add("capture rate", "events/s", true, "concord", run.rate(changes));
        progress.log("%s concord: captured %,.0f events/s, all published %.2f s after capture resumed; its time by"
                + " step: %s", id(), run.rate(changes), (run.lastNanos() - run.resumedNanos()) / 1e9,
                concord.capturePhasesSince(Map.of()));
        if (cpu.available()) {
            result.add("capture cpu per event", "µs", false, "concord", CpuMeter.total(cpuSpent) / 1e3 / changes);
            progress.log("%s concord: cpu from resuming capture to all published: %s", id(),
                    CpuMeter.describe(cpuSpent));
        }
    }

    private void writeBacklog(Db source) throws Exception {
        switch (kind) {
            case SINGLE_ROW_INSERTS -> BacklogLoader.inserts(source, settings.singleRowTransactions(), 1);
            case BATCHED_INSERTS -> BacklogLoader.inserts(source, settings.batchTransactions(),
                    settings.rowsPerBatchTransaction());
            case UPDATES -> BacklogLoader.updates(source, settings.updates(), settings.updatedRows());
        }
    }

    private void measure(Replication replication, Db source, Db target, String expected, ScenarioResult result)
            throws Exception {
        MarkerProbe probe = new MarkerProbe(target);
        CpuMeter cpu = new CpuMeter(source, target);
        Map<String, Long> cpuBefore = cpu.sample();
        long resumed = System.nanoTime();
        replication.resumeApply();
        MarkerProbe.Seen seen = probe.awaitEnd(settings.applyTimeout());
        Map<String, Long> cpuSpent = CpuMeter.spent(cpuBefore, cpu.sample());
        String actual = target.itemsChecksum();
        if (!actual.equals(expected)) {
            String problem = replication.system() + " left " + target.name() + " different from its source after the"
                    + " backlog: " + RowDiff.describe(source, target);
            result.problem(problem);
            progress.log("%s %s: %s", id(), replication.system(), problem);
        }
        double applySeconds = Math.max(seen.endNanos() - seen.startNanos(), MarkerProbe.POLL_MICROS * 1_000) / 1e9;
        result.add("apply rate", "rows/s", true, replication.system(), backlogRows() / applySeconds);
        result.add("catch-up from resume", "s", false, replication.system(),
                Duration.ofNanos(seen.endNanos() - resumed).toMillis() / 1000.0);
        progress.log("%s %s: %,.0f rows/s, caught up in %.2f s", id(), replication.system(),
                backlogRows() / applySeconds, (seen.endNanos() - resumed) / 1e9);
        if (cpu.available()) {
            result.add("cpu per row", "µs", false, replication.system(), CpuMeter.total(cpuSpent) / 1e3 / backlogRows());
            progress.log("%s %s: cpu from resume to caught up: %s", id(), replication.system(),
                    CpuMeter.describe(cpuSpent));
        }
        if (replication instanceof ConcordReplication concord) {
            progress.log("%s concord: apply's time by step: %s", id(), concord.applyPhases());
        }
    }
}
