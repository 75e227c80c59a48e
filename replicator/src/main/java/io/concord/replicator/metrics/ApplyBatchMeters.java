package io.concord.replicator.metrics;

import io.concord.replicator.apply.ApplyMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Turns what apply reports of each batch into histograms, and its conflicts into counters by table and type. */
final class ApplyBatchMeters implements ApplyMetrics.Observer {

    /** Bucket bounds of {@code concord_apply_batch_rows}; {@code apply.batch-size} is 5000 by default. */
    private static final double[] BATCH_ROWS = {1, 5, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000};
    private static final Duration[] BATCH_SECONDS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final DistributionSummary rows;
    private final Timer took;

    ApplyBatchMeters(MeterRegistry registry) {
        this.registry = registry;
        this.rows = DistributionSummary.builder("concord.apply.batch.rows")
                .description("Events per applied batch (one local transaction)").serviceLevelObjectives(BATCH_ROWS)
                .register(registry);
        this.took = Timer.builder("concord.apply.batch").description("Time to apply a batch, commit included")
                .serviceLevelObjectives(BATCH_SECONDS).register(registry);
    }

    @Override
    public void batchApplied(int events, long nanos) {
        rows.record(events);
        took.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void conflicts(String table, String type, int count) {
        // Registered on first sight: the tables are few, the types five at most.
        Counter.builder("concord.conflicts").tags("table", table, "type", type)
                .description("Conflicts settled by the table's resolver, recorded or not").register(registry)
                .increment(count);
    }
}
