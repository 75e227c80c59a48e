package io.concord.replicator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CoreWaitsTest {

    @Test
    void countsWhatLiveTasksWaitedInBetweenAndAllOfWhatNewOnesDid() {
        CoreWaits.Sample before = new CoreWaits.Sample(Map.of(
                "postgres a", Map.of("100", 5_000L, "101", 7_000L),
                "bench jvm", Map.of("1", 1_000L, "2", 2_000L)));
        CoreWaits.Sample after = new CoreWaits.Sample(Map.of(
                // 101 exited (its waits are gone with it), 102 started since.
                "postgres a", Map.of("100", 8_000L, "102", 400L),
                // 2 ended, and its tid was reused by a thread that has waited less than it had.
                "bench jvm", Map.of("1", 1_500L, "2", 300L)));

        Map<String, Long> waited = CoreWaits.between(before, after);

        assertThat(waited).containsOnly(Map.entry("postgres a", 3_000L + 400L), Map.entry("bench jvm", 500L + 300L));
    }

    @Test
    void anEmptySampleMeansNothingCanBeSaid() {
        CoreWaits.Sample empty = new CoreWaits.Sample(Map.of());
        CoreWaits.Sample some = new CoreWaits.Sample(Map.of("bench jvm", Map.of("1", 10L)));

        assertThat(CoreWaits.between(empty, some)).isEmpty();
        assertThat(CoreWaits.between(some, empty)).isEmpty();
    }

    @Test
    void thisJvmsThreadsAreSampledWhereTheKernelKeepsRunQueueStatistics() throws Exception {
        CoreWaits.Sample sample = new CoreWaits(Map.of()).sample();

        if (CoreWaits.available()) {
            assertThat(sample.byPart()).containsOnlyKeys("bench jvm");
            assertThat(sample.byPart().get("bench jvm")).as("this JVM's threads").isNotEmpty();
        } else {
            assertThat(sample.byPart()).isEmpty();
        }
    }
}
