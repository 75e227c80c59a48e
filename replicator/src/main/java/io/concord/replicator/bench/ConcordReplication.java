package io.concord.replicator.bench;

import io.concord.replicator.apply.ApplyPhases;
import io.concord.replicator.capture.CapturePhases;
import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.config.ConfigLoader;
import io.concord.replicator.install.Installer;
import io.concord.event.ChangeEvent;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.types.PgTextCodec;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Concord between a database on {@code a} and one on {@code b}, run in this JVM as {@code concord run} runs it
 * ({@link DcRuntime}), from configs written as a user would write {@code concord.yaml}: default settings but
 * the run's own topic prefix and slots, and the HTTP endpoint off. Pausing apply stops {@code b}'s runtime;
 * pausing capture stops {@code a}'s, so that a backlog waits in {@code a}'s slot and its capture can be timed
 * alone before apply resumes.
 */
final class ConcordReplication implements Replication {

    private static final Duration WAIT = Duration.ofSeconds(120);
    static final long CAPTURE_POLL_MICROS = 1_000;

    private final BenchCluster cluster;
    private final String runId;
    private final Db source;
    private final Db target;
    private final ConcordConfig sourceConfig;
    private final ConcordConfig targetConfig;
    private DcRuntime sourceRuntime;
    private DcRuntime targetRuntime;
    private boolean closed;

    private ConcordReplication(BenchCluster cluster, String runId, Db source, Db target, String resolver)
            throws Exception {
        this.cluster = cluster;
        this.runId = runId;
        this.source = source;
        this.target = target;
        this.sourceConfig = config(BenchCluster.SOURCE, BenchCluster.TARGET, source, resolver);
        this.targetConfig = config(BenchCluster.TARGET, BenchCluster.SOURCE, target, resolver);
    }

    /** Installs Concord in both databases and runs both DCs; returns once both capture and apply. */
    static ConcordReplication start(BenchCluster cluster, String runId, Db source, Db target, String resolver)
            throws Exception {
        ConcordReplication replication = new ConcordReplication(cluster, runId, source, target, resolver);
        try {
            install(source, replication.sourceConfig);
            install(target, replication.targetConfig);
            replication.sourceRuntime = startRuntime(replication.sourceConfig);
            replication.targetRuntime = startRuntime(replication.targetConfig);
            return replication;
        } catch (Exception | Error e) {
            replication.close();
            throw e;
        }
    }

    @Override
    public String system() {
        return "concord";
    }

    @Override
    public void pauseApply() {
        targetRuntime.close();
        targetRuntime = null;
    }

    @Override
    public void resumeApply() throws Exception {
        targetRuntime = DcRuntime.start(targetConfig);
    }

    /**
     * When a resumed capture was started, was first seen to have published ({@code publishedFirst} changes: a
     * batch counts whole, once its Kafka transaction commits) and had published them all, in
     * {@link System#nanoTime()}.
     */
    record CaptureRun(long resumedNanos, long firstNanos, long publishedFirst, long lastNanos) {

        /**
         * Changes per second after the first batch seen, whose own time is not in the interval; a backlog published
         * in that one batch is timed from the start instead.
         */
        double rate(long changes) {
            long from = publishedFirst < changes ? firstNanos : resumedNanos;
            long counted = publishedFirst < changes ? changes - publishedFirst : changes;
            return counted / (Math.max(lastNanos - from, CAPTURE_POLL_MICROS * 1_000) / 1e9);
        }
    }

    /**
     * Stops {@code a}'s runtime, and with it its capture: what is written now waits in its slot, as it would
     * while Concord is down, until {@link #captureBacklog}.
     */
    void pauseCapture() throws Exception {
        sourceRuntime.close();
        sourceRuntime = null;
        awaitSlotReleased(source, sourceConfig);
    }

    /** Returns once no walsender holds the capture slot of {@code config} (a closed runtime's lets go shortly after). */
    private static void awaitSlotReleased(Db db, ConcordConfig config) throws Exception {
        Waits.until("slot " + config.capture().slot() + " to be released", WAIT, () -> db.queryLong(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active",
                config.capture().slot()) == 0);
    }

    /**
     * Starts {@code a}'s runtime again and waits until its capture has published {@code changes} changes (it
     * publishes nothing else meanwhile: b's apply is paused, so nothing comes back to forward). Polled every
     * {@value #CAPTURE_POLL_MICROS} µs: the resolution of the times returned.
     */
    CaptureRun captureBacklog(long changes) throws Exception {
        long resumed = System.nanoTime();
        sourceRuntime = DcRuntime.start(sourceConfig);
        long deadline = resumed + WAIT.toNanos();
        long first = 0;
        long publishedFirst = 0;
        while (true) {
            long published = sourceRuntime.capture().metrics().published();
            long now = System.nanoTime();
            if (first == 0 && published > 0) {
                first = now;
                publishedFirst = published;
            }
            if (published >= changes) {
                return new CaptureRun(resumed, first, publishedFirst, now);
            }
            if (now > deadline) {
                throw new TimeoutException("waited " + WAIT.toSeconds() + " s for capture of " + source + " to publish "
                        + changes + " changes (it published " + published + "; " + source.queryString("SELECT 'slot at '"
                        + " || confirmed_flush_lsn || ', WAL flushed to ' || pg_current_wal_flush_lsn() FROM"
                        + " pg_replication_slots WHERE slot_name = ?", sourceConfig.capture().slot()) + ")");
            }
            LockSupport.parkNanos(CAPTURE_POLL_MICROS * 1_000);
        }
    }

    /**
     * When capture sent the event of each row {@code 1..rows} of {@code items} to Kafka (the record's timestamp,
     * taken at the send, before the Kafka transaction commits), in epoch milliseconds by row id; 0 where none
     * was found. Read from a's topic, committed records only.
     */
    long[] publishedMillis(int rows) {
        long[] published = new long[rows + 1];
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(sourceConfig.topics().changes(BenchCluster.SOURCE), 0);
        EventCodec codec = new EventCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        if (codec.decode(record.value()) instanceof ChangeEvent event
                                && event.getTable().getName().equals("items")) {
                            long id = Long.parseLong(PgTextCodec.encode(event.getKey().get(0).getValue()));
                            if (id >= 1 && id <= rows && published[(int) id] == 0) {
                                published[(int) id] = record.timestamp();
                            }
                        }
                    } catch (EventDecodingException e) {
                        throw new IllegalStateException("a record on " + partition + " cannot be read", e);
                    }
                }
            }
        }
        return published;
    }

    /** Capture batches of both DCs aborted and versioned again because apply stored a state meanwhile. */
    long captureBatchesRedone() {
        return (sourceRuntime == null ? 0 : sourceRuntime.capture().metrics().restartsForMovedState())
                + (targetRuntime == null ? 0 : targetRuntime.capture().metrics().restartsForMovedState());
    }

    /** Batches b's appliers committed so far. */
    long applyBatches() {
        return targetRuntime == null ? 0 : targetRuntime.apply().metrics().batches();
    }

    /** Where b's appliers spent their time so far: each step of a batch in seconds, e.g. "lock 0.4 s, ...". */
    String applyPhases() {
        if (targetRuntime == null) {
            return "not running";
        }
        StringBuilder line = new StringBuilder();
        targetRuntime.apply().metrics().phases().snapshot().forEach((phase, nanos) -> line
                .append(line.isEmpty() ? "" : ", ").append(phase.name().toLowerCase(Locale.ROOT))
                .append(' ').append(String.format("%.2f s", nanos / 1e9)));
        return line.toString();
    }

    /**
     * Starts looking for a's slowest capture batch afresh, and returns how long a's capture has spent in each step
     * so far (for {@link #capturePhasesSince}).
     */
    Map<CapturePhases.Phase, Long> captureSlowestAndPhases() {
        CapturePhases phases = sourceRuntime.capture().metrics().phases();
        phases.takeSlowest();
        return phases.snapshot();
    }

    /** a's slowest capture batch since {@link #captureSlowestAndPhases}; null if none. */
    CapturePhases.Batch slowestCaptureBatch() {
        return sourceRuntime.capture().metrics().phases().takeSlowest();
    }

    /** Where a's capture spent its time since {@code before}: each step of its batches, e.g. "read 0.4 s, ...". */
    String capturePhasesSince(Map<CapturePhases.Phase, Long> before) {
        StringBuilder line = new StringBuilder();
        sourceRuntime.capture().metrics().phases().snapshot().forEach((phase, nanos) -> line
                .append(line.isEmpty() ? "" : ", ").append(phase.name().toLowerCase(Locale.ROOT))
                .append(' ').append(String.format("%.2f s", (nanos - before.getOrDefault(phase, 0L)) / 1e9)));
        return line.toString();
    }

    /** b's slowest committed apply batch since the last call; null if none. */
    ApplyPhases.Batch slowestApplyBatch() {
        return targetRuntime == null ? null : targetRuntime.apply().metrics().phases().takeSlowest();
    }

    /** Conflicts settled by the appliers of both DCs so far. */
    long conflictsResolved() {
        return (sourceRuntime == null ? 0 : sourceRuntime.apply().metrics().conflicts())
                + (targetRuntime == null ? 0 : targetRuntime.apply().metrics().conflicts());
    }

    private ConcordConfig config(String dc, String peer, Db db, String resolver) throws Exception {
        String yaml = """
                dc: %s
                postgres:
                  url: %s
                  user: %s
                kafka:
                  bootstrap-servers: %s
                topics:
                  prefix: %s
                peers: [%s]
                capture:
                  slot: %s_%s
                tables:
                  - name: items
                    resolver: %s
                http:
                  port: 0
                """.formatted(dc, db.jdbcUrl(), db.server().user(), cluster.bootstrapServers(), runId, peer, runId,
                dc, resolver);
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml);
    }

    private static void install(Db db, ConcordConfig config) throws Exception {
        try (Connection connection = db.connect()) {
            new Installer(config).install(connection, true);
        }
    }

    private static DcRuntime startRuntime(ConcordConfig config) throws Exception {
        DcRuntime runtime = DcRuntime.start(config);
        try {
            Waits.until("DC " + config.dc() + " to capture and apply", WAIT,
                    () -> runtime.capture().isActive() && runtime.apply().isRunning());
            return runtime;
        } catch (Exception e) {
            runtime.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (targetRuntime != null) {
            targetRuntime.close();
        }
        if (sourceRuntime != null) {
            sourceRuntime.close();
        }
        uninstall(source, sourceConfig);
        uninstall(target, targetConfig);
        cluster.deleteTopics(runId);
    }

    /** Drops the slot (once its walsender has let go of it), the publication, the origins, schema concord. */
    private static void uninstall(Db db, ConcordConfig config) {
        Cleanup.quietly("uninstall Concord from " + db, () -> {
            awaitSlotReleased(db, config);
            try (Connection connection = db.connect()) {
                new Installer(config).uninstall(connection);
            }
        });
    }
}
