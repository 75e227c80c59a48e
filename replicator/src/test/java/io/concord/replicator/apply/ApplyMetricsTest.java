package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyMetricsTest {

    private final ApplyMetrics metrics = new ApplyMetrics();
    private final List<String> told = new ArrayList<>();

    @Test
    void aBatchCountsItsEventsAndTellsTheObserverItsSizeTimeAndConflicts() {
        metrics.observe(new ApplyMetrics.Observer() {
            @Override
            public void batchApplied(int events, long nanos) {
                told.add("batch " + events + " in " + nanos);
            }

            @Override
            public void conflicts(String table, String type, int count) {
                told.add(count + " " + type + " on " + table);
            }
        });
        metrics.batch(new BatchApplier.Outcome(5, 2, 1, 5, 1, 1, Map.of(
                new BatchApplier.ConflictKind("public.notes", "update_update"), 2), List.of()), 8, 1_234);
        metrics.batch(new BatchApplier.Outcome(1, 0, 0, 1, 0, 1, Map.of(), List.of()), 1, 10);

        assertThat(told).containsExactly("batch 8 in 1234", "2 update_update on public.notes", "batch 1 in 10");
        assertThat(metrics.batches()).isEqualTo(2);
        assertThat(metrics.applied()).isEqualTo(6);
        assertThat(metrics.skipped()).isEqualTo(2);
        assertThat(metrics.conflicts()).as("recorded ones").isEqualTo(1);
        assertThat(metrics.deadLetters()).isEqualTo(1);
        assertThat(metrics.freshKeysHeld()).as("batches not tried as fresh keys count for neither").isZero();
    }

    @Test
    void batchesTriedAsFreshKeysAreCountedByHowTheGuessWent() {
        BatchApplier.Outcome plain = new BatchApplier.Outcome(2, 0, 0, 2, 0, 1, Map.of(), List.of());
        metrics.batch(plain.withFreshKeys(BatchApplier.FreshKeyGuess.HELD), 2, 10);
        metrics.batch(plain.withFreshKeys(BatchApplier.FreshKeyGuess.HELD), 2, 10);
        metrics.batch(plain.withFreshKeys(BatchApplier.FreshKeyGuess.MISSED), 2, 10);
        metrics.batch(plain, 2, 10);

        assertThat(metrics.freshKeysHeld()).isEqualTo(2);
        assertThat(metrics.freshKeysMissed()).isEqualTo(1);
        assertThat(metrics.batches()).isEqualTo(4);
    }

    @Test
    void withoutAnObserverABatchIsStillCounted() {
        metrics.batch(new BatchApplier.Outcome(3, 0, 0, 3, 0, 1, Map.of(
                new BatchApplier.ConflictKind("public.items", "insert_insert"), 1), List.of()), 3, 5);
        assertThat(metrics.applied()).isEqualTo(3);
    }

    @Test
    void aPeersLastHeartbeatOnlyMovesForward() {
        assertThat(metrics.lastHeartbeatMicros("us")).isEmpty();
        metrics.heartbeat("us", 2_000);
        metrics.heartbeat("us", 1_000); // an older one, read after a rebalance
        metrics.heartbeat("ap", 500);
        assertThat(metrics.lastHeartbeatMicros("us")).hasValue(2_000);
        assertThat(metrics.lastHeartbeatMicros("ap")).hasValue(500);
    }
}
