package io.concord.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.apply.ApplyMetrics;
import io.concord.replicator.capture.CaptureMetrics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcordMetersTest {

    private final ApplyMetrics apply = new ApplyMetrics();
    private final ConcordMeters meters = new ConcordMeters("eu", Clock.systemUTC())
            .bindCapture(new CaptureMetrics(), () -> 4096)
            .bindApply(apply, List.of("us", "ap"));

    @AfterEach
    void close() {
        meters.close();
    }

    @Test
    void everyConcordMeterIsExposedUnderItsPrometheusNameWithTheDcTag() {
        PrometheusSamples samples = PrometheusSamples.parse(meters.scrape());
        Map<String, String> eu = Map.of("dc", "eu");
        for (String counter : List.of("concord_events_captured_total", "concord_events_published_total",
                "concord_events_applied_total", "concord_events_skipped_total", "concord_events_loop_dropped_total",
                "concord_apply_batches_total", "concord_apply_retries_total")) {
            assertThat(samples.value(counter, eu)).as(counter).contains(0.0);
        }
        assertThat(samples.value("concord_apply_fresh_keys_total", Map.of("dc", "eu", "outcome", "held")))
                .contains(0.0);
        assertThat(samples.value("concord_apply_fresh_keys_total", Map.of("dc", "eu", "outcome", "missed")))
                .contains(0.0);
        assertThat(samples.value("concord_dead_letters_total", Map.of("dc", "eu", "stage", "apply"))).contains(0.0);
        assertThat(samples.value("concord_dead_letters_total", Map.of("dc", "eu", "stage", "capture"))).contains(0.0);
        assertThat(samples.value("concord_capture_slot_lag_bytes", eu)).contains(4096.0);
        assertThat(samples.value("concord_apply_batch_rows_count", eu)).contains(0.0);
        assertThat(samples.value("concord_apply_batch_seconds_count", eu)).contains(0.0);
        assertThat(samples.samples()).allSatisfy(sample -> assertThat(sample.labels()).containsEntry("dc", "eu"));
    }

    @Test
    void aPeerNeverHeardFromHasNoLagYet() {
        PrometheusSamples samples = PrometheusSamples.parse(meters.scrape());
        assertThat(samples.value("concord_peer_lag_seconds", Map.of("peer", "us"))).hasValueSatisfying(
                lag -> assertThat(lag).isNaN());
        assertThat(samples.find("concord_peer_lag_seconds", Map.of())).extracting(s -> s.labels().get("peer"))
                .containsExactlyInAnyOrder("us", "ap");
    }

    @Test
    void peerLagIsTheAgeOfTheNewestHeartbeatNeverNegative() {
        assertThat(ConcordMeters.ageSeconds(OptionalLong.of(1_000_000_000L), 1_000_000 + 2_500)).isEqualTo(2.5);
        assertThat(ConcordMeters.ageSeconds(OptionalLong.of(5_000_000_000L), 1_000_000))
                .as("a peer whose clock runs ahead").isZero();
        assertThat(ConcordMeters.ageSeconds(OptionalLong.empty(), 1_000_000)).isNaN();
    }

    @Test
    void batchesFillTheHistogramsAndConflictsCountByTableAndType() {
        ApplyBatchMeters observer = new ApplyBatchMeters(meters.registry());
        observer.batchApplied(7, 3_000_000);
        observer.batchApplied(700, 400_000_000);
        observer.conflicts("public.notes", "update_update", 2);
        observer.conflicts("public.notes", "update_update", 1);
        observer.conflicts("public.items", "insert_insert", 1);

        PrometheusSamples samples = PrometheusSamples.parse(meters.scrape());
        assertThat(samples.value("concord_apply_batch_rows_count", Map.of())).contains(2.0);
        assertThat(samples.value("concord_apply_batch_rows_sum", Map.of())).contains(707.0);
        assertThat(samples.value("concord_apply_batch_rows_bucket", Map.of("le", "10.0"))).contains(1.0);
        assertThat(samples.value("concord_apply_batch_rows_bucket", Map.of("le", "1000.0"))).contains(2.0);
        assertThat(samples.value("concord_apply_batch_seconds_count", Map.of())).contains(2.0);
        assertThat(samples.value("concord_apply_batch_seconds_bucket", Map.of("le", "0.005"))).contains(1.0);
        assertThat(samples.value("concord_apply_batch_seconds_bucket", Map.of("le", "0.25"))).contains(1.0);
        assertThat(samples.value("concord_apply_batch_seconds_bucket", Map.of("le", "0.5"))).contains(2.0);
        assertThat(samples.value("concord_conflicts_total", Map.of("table", "public.notes", "type", "update_update")))
                .contains(3.0);
        assertThat(samples.value("concord_conflicts_total", Map.of("table", "public.items", "type", "insert_insert")))
                .contains(1.0);
    }

    @Test
    void jvmMetersAreThereWhenBound() {
        try (ConcordMeters withJvm = new ConcordMeters("eu", Clock.systemUTC()).bindJvm()) {
            PrometheusSamples samples = PrometheusSamples.parse(withJvm.scrape());
            assertThat(samples.find("jvm_memory_used_bytes", Map.of("dc", "eu"))).isNotEmpty();
            assertThat(samples.find("process_uptime_seconds", Map.of("dc", "eu"))).isNotEmpty();
        }
    }
}
