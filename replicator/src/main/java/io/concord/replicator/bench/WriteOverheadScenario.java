package io.concord.replicator.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 5: what replicating costs the application. pgbench-style single-row INSERT transactions on
 * {@code a} from several clients at full speed, with nothing replicating, with native replication, and with
 * Concord (capture on {@code a} and apply on {@code b}, as native has its walsender on {@code a} and its apply
 * worker on {@code b}); each on fresh databases. Besides, {@code kafka alone}: nothing replicating, but the broker
 * doing what capture and apply would ask of it for that load ({@link KafkaBeside}) — the share of Concord's overhead
 * that is the broker's, on a machine where the broker and the application's server share the cores.
 */
final class WriteOverheadScenario implements Scenario {

    /** The system that runs the load with nothing replicating but the broker beside it ({@link KafkaBeside}). */
    static final String KAFKA_ALONE = "kafka alone";
    /** Capture's window by default ({@code capture.max-batch-delay}), as {@link KafkaFloor}'s first shape. */
    private static final Duration CAPTURE_WINDOW = KafkaFloor.SHAPES.get(0).window();

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Progress progress;
    private final int warmUpMaxRuns;

    WriteOverheadScenario(BenchCluster cluster, BenchSettings settings, Progress progress, int warmUpMaxRuns) {
        this.warmUpMaxRuns = warmUpMaxRuns;
        this.cluster = cluster;
        this.settings = settings;
        this.progress = progress;
    }

    @Override
    public String id() {
        return "write-overhead";
    }

    @Override
    public String title() {
        return "5 write overhead, %d clients x %d s of single-row INSERT tx".formatted(settings.overheadClients(),
                settings.overheadDuration().toSeconds());
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("clients", settings.overheadClients());
        parameters.put("seconds", settings.overheadDuration().toSeconds());
        return parameters;
    }

    @Override
    public void run(int repetition, ScenarioResult result) throws Exception {
        if (repetition == 0) {
            result.note(JitWarmUp.note("the same load", warmUp(), warmUpMaxRuns));
        }
        Map<String, Double> tps = new LinkedHashMap<>();
        tps.put("none", measure("none"));
        tps.put(KAFKA_ALONE, measure(KAFKA_ALONE));
        for (String system : Scenario.order(repetition)) {
            tps.put(system, measure(system));
        }
        tps.forEach((system, value) -> result.add("application TPS", "tx/s", true, system, value));
        for (String system : List.of("concord", "native", KAFKA_ALONE)) {
            result.add("TPS lost to replication", "%", false, system, 100 * (1 - tps.get(system) / tps.get("none")));
        }
        progress.log("%s: TPS none %,.0f, kafka alone %,.0f, concord %,.0f, native %,.0f", id(), tps.get("none"),
                tps.get(KAFKA_ALONE), tps.get("concord"), tps.get("native"));
        result.note("'none' runs the same clients on fresh databases with no publication, subscription or slot");
        result.note("'" + KAFKA_ALONE + "' runs them as 'none' does, while beside them, every "
                + CAPTURE_WINDOW.toMillis() + " ms (capture.max-batch-delay's default), one " + KafkaFloor.RECORD_BYTES
                + "-byte record per transaction they committed meanwhile is published in one Kafka transaction by"
                + " capture's publisher and read read_committed, as apply reads: the broker's share of Concord's"
                + " overhead where the broker shares the machine");
    }

    /**
     * Unmeasured Concord runs of this load ({@link JitWarmUp}); returns how many ran. The bench's JVM warm-up runs
     * backlogs, whose batches are large; this load makes small ones all the time (capture's INSERT path, a Kafka
     * transaction every few milliseconds, apply's small batches), code the JIT had not compiled yet: without a
     * warm-up run it took 3-6 s of the two cores' CPU during Concord's measured 20 s (the cpu line's jvm jit), and
     * after one, run alone, still 5.5-6.1 s (session 15).
     */
    private int warmUp() throws Exception {
        return JitWarmUp.until(progress, id() + ": JVM warm-up", warmUpMaxRuns,
                round -> progress.log("%s: JVM warm-up %d, one unmeasured Concord run: %,.0f TPS", id(), round,
                        measure("concord")));
    }

    private double measure(String system) throws Exception {
        boolean kafkaAlone = system.equals(KAFKA_ALONE);
        try (ReplicatedPair pair = ReplicatedPair.start(cluster, kafkaAlone ? "none" : system, "lww")) {
            if (pair.replication() != null) {
                pair.awaitFlowing(settings.applyTimeout());
            }
            int clients = settings.overheadClients();
            CpuMeter cpu = new CpuMeter(pair.source(), pair.target());
            // Sampled outside the CPU's window: each sample opens a session on both servers.
            CoreWaits waits = new CoreWaits(Map.of("postgres a", pair.source(), "postgres b", pair.target()));
            CoreWaits.Sample waitsBefore = waits.sample();
            Map<String, Long> cpuBefore = cpu.sample();
            AtomicLong committed = new AtomicLong();
            KafkaBeside beside = kafkaAlone ? KafkaBeside.start(cluster, committed::get, CAPTURE_WINDOW) : null;
            ClientLoad.Outcome load;
            try {
                load = ClientLoad.measured(Collections.nCopies(clients, pair.source()),
                        "INSERT INTO items VALUES (?, 0, ?, now())", (statement, client, n, random) -> {
                            long id = 1 + n * clients + client;
                            statement.setLong(1, id);
                            statement.setString(2, "row " + id);
                        }, settings.overheadDuration(), committed);
                if (beside != null) {
                    KafkaBeside.Outcome published = beside.finish(settings.applyTimeout());
                    progress.log("%s %s: %,d records published in %,d Kafka transactions", id(), system,
                            published.records(), published.windows());
                }
            } finally {
                if (beside != null) {
                    beside.close();
                }
            }
            if (cpu.available()) {
                // Where the two cores went while the clients ran: the application's share is postgres a's backends
                // and the clients' own threads; the rest is what replicating took from it.
                Map<String, Long> spent = CpuMeter.apart(CpuMeter.spent(cpuBefore, cpu.sample()), "bench clients",
                        load.cpuNanos());
                progress.log("%s %s: cpu during the load: %s", id(), system, CpuMeter.describe(spent));
            }
            Map<String, Long> waited = CoreWaits.between(waitsBefore, waits.sample());
            if (!waited.isEmpty()) {
                progress.log("%s %s: waited for a core during the load (run queue): %s", id(), system,
                        CpuMeter.describe(waited));
            }
            return load.transactions() / (double) settings.overheadDuration().toSeconds();
        }
    }
}
