package io.concord.replicator.metrics;

import io.concord.replicator.apply.ApplyMetrics;
import io.concord.replicator.apply.ApplyPhases;
import io.concord.replicator.capture.CaptureMetrics;
import io.concord.replicator.capture.CapturePhases;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The meters of one DC, in a Prometheus registry of their own, every one tagged {@code dc}. The pipeline
 * keeps reporting to {@link CaptureMetrics} and {@link ApplyMetrics}; this class only reads them (function
 * counters and gauges, evaluated at scrape time) and observes what they pass on (batch histograms,
 * conflicts by table and type). The names, as Prometheus shows them, are listed in README.md.
 */
public final class ConcordMeters implements AutoCloseable {

    private static final String DEAD_LETTERS = "Changes set aside as dead letters, by stage (capture: TRUNCATE;"
            + " apply: undecodable, refused, or in a batch that failed for good)";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private JvmGcMetrics gc;

    /** A registry whose meters all carry {@code dc=<dc>}; {@code clock} dates the peers' heartbeats. */
    public ConcordMeters(String dc, Clock clock) {
        this.clock = clock;
        registry.config().commonTags("dc", dc);
    }

    /** The JVM's memory, GC, threads, classes, CPU and uptime. */
    public ConcordMeters bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /** Capture's counters, and the slot's lag in bytes ({@link Double#NaN} while it cannot be read). */
    public ConcordMeters bindCapture(CaptureMetrics capture, DoubleSupplier slotLagBytes) {
        FunctionCounter.builder("concord.events.captured", capture, CaptureMetrics::captured)
                .description("Change events of this DC's own writes published to Kafka").register(registry);
        FunctionCounter.builder("concord.events.published", capture, CaptureMetrics::published)
                .description("Change events published to Kafka: this DC's own, and those it forwards (star, ring)")
                .register(registry);
        FunctionCounter.builder("concord.dead.letters", capture, CaptureMetrics::truncatesIgnored)
                .tag("stage", "capture").description(DEAD_LETTERS)
                .register(registry);
        FunctionCounter.builder("concord.capture.batches.redone", capture, CaptureMetrics::restartsForMovedState)
                .description("Capture batches versioned again from the slot because apply stored a state of one"
                        + " of their rows after the batch read it")
                .register(registry);
        for (CapturePhases.Phase phase : CapturePhases.Phase.values()) {
            FunctionCounter.builder("concord.capture.phase.seconds", capture.phases(), p -> p.nanos(phase) / 1e9)
                    .tag("phase", phase.name().toLowerCase(Locale.ROOT))
                    .description("Time capture spent in this step of its batches (rate() shows the share)")
                    .register(registry);
        }
        Gauge.builder("concord.capture.slot.lag", slotLagBytes, DoubleSupplier::getAsDouble).strongReference(true)
                .baseUnit("bytes")
                .description("WAL bytes between the server's current position and the slot's confirmed flush")
                .register(registry);
        return this;
    }

    /**
     * Apply's counters and histograms, and the lag of each peer in {@code peers}: the age of the newest
     * heartbeat of it that apply has read, which keeps growing while the peer or the way from it is down.
     */
    public ConcordMeters bindApply(ApplyMetrics apply, List<String> peers) {
        FunctionCounter.builder("concord.events.applied", apply, ApplyMetrics::applied)
                .description("Peers' change events that changed a row here (applied or settled as a conflict)")
                .register(registry);
        FunctionCounter.builder("concord.events.skipped", apply, ApplyMetrics::skipped)
                .description("Peers' change events already seen here (stale or duplicate), left as they were")
                .register(registry);
        FunctionCounter.builder("concord.events.loop.dropped", apply, ApplyMetrics::loopsDropped)
                .description("Change events of this DC's own origin that came back around, dropped")
                .register(registry);
        FunctionCounter.builder("concord.dead.letters", apply, ApplyMetrics::deadLetters).tag("stage", "apply")
                .description(DEAD_LETTERS)
                .register(registry);
        FunctionCounter.builder("concord.apply.batches", apply, ApplyMetrics::batches)
                .description("Local transactions committed by apply").register(registry);
        FunctionCounter.builder("concord.apply.retries", apply, ApplyMetrics::retries)
                .description("Batches tried again after a retryable failure").register(registry);
        FunctionCounter.builder("concord.apply.parts.reapplied", apply, ApplyMetrics::partsReapplied)
                .description("Later parts of batches their own session could not commit, applied by the first")
                .register(registry);
        FunctionCounter.builder("concord.apply.fresh.keys", apply, ApplyMetrics::freshKeysHeld).tag("outcome", "held")
                .description("Batches of inserts tried as new keys (no lock, no read of versions): committed so, or"
                        + " missed (a row or a version was there) and applied the ordinary way")
                .register(registry);
        FunctionCounter.builder("concord.apply.fresh.keys", apply, ApplyMetrics::freshKeysMissed)
                .tag("outcome", "missed")
                .description("Batches of inserts tried as new keys (no lock, no read of versions): committed so, or"
                        + " missed (a row or a version was there) and applied the ordinary way")
                .register(registry);
        for (ApplyPhases.Phase phase : ApplyPhases.Phase.values()) {
            FunctionCounter.builder("concord.apply.phase.seconds", apply.phases(), p -> p.nanos(phase) / 1e9)
                    .tag("phase", phase.name().toLowerCase(Locale.ROOT))
                    .description("Time the appliers spent in this step of their batches (rate() shows the share)")
                    .register(registry);
        }
        for (String peer : peers) {
            Gauge.builder("concord.peer.lag", apply, metrics -> ageSeconds(metrics.lastHeartbeatMicros(peer)))
                    .tag("peer", peer).baseUnit("seconds").strongReference(true)
                    .description("Age of the newest heartbeat of the peer that apply has read (NaN before the first)")
                    .register(registry);
        }
        apply.observe(new ApplyBatchMeters(registry));
        return this;
    }

    private double ageSeconds(OptionalLong sentMicros) {
        return ageSeconds(sentMicros, clock.millis());
    }

    /** Seconds from {@code sentMicros} to {@code nowMillis}, never below 0 (clocks differ); NaN if nothing was sent. */
    static double ageSeconds(OptionalLong sentMicros, long nowMillis) {
        if (sentMicros.isEmpty()) {
            return Double.NaN;
        }
        return Math.max(0, nowMillis * 1_000 - sentMicros.getAsLong()) / 1e6;
    }

    /** The registry, for meters of other parts. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape(HttpEndpoints.PROMETHEUS_TEXT);
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
