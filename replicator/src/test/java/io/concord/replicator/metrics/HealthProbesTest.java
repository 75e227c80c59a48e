package io.concord.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class HealthProbesTest {

    private static final PartState ACTIVE = PartState.capture(Thread.State.RUNNABLE, true, false, null);
    private static final PartState STANDBY = PartState.capture(Thread.State.TIMED_WAITING, false, true, null);
    private static final PartState RUNNING = PartState.apply(Optional.of(KafkaStreams.State.RUNNING), null);
    private static final PartState REBALANCING = PartState.apply(Optional.of(KafkaStreams.State.REBALANCING), null);

    @Test
    void captureStates() {
        assertThat(ACTIVE).isEqualTo(new PartState("active", true, false));
        assertThat(STANDBY).as("a standby is ready, or a 2-replica rollout never ends")
                .isEqualTo(new PartState("standby", true, false));
        assertThat(PartState.capture(Thread.State.NEW, false, false, null))
                .isEqualTo(new PartState("starting", false, false));
        assertThat(PartState.capture(Thread.State.TIMED_WAITING, false, false, null))
                .as("retrying after a failure").isEqualTo(new PartState("connecting", false, false));
        assertThat(PartState.capture(Thread.State.TERMINATED, false, false, new IllegalStateException("fenced")))
                .isEqualTo(new PartState("failed", false, true));
        assertThat(PartState.capture(Thread.State.TERMINATED, false, false, null))
                .isEqualTo(new PartState("stopped", false, true));
    }

    @Test
    void applyStates() {
        assertThat(RUNNING).isEqualTo(new PartState("RUNNING", true, false));
        assertThat(REBALANCING).isEqualTo(new PartState("REBALANCING", false, false));
        assertThat(PartState.apply(Optional.empty(), null)).isEqualTo(new PartState("NOT_RUNNING", false, false));
        assertThat(PartState.apply(Optional.of(KafkaStreams.State.ERROR), new IllegalStateException("died")))
                .isEqualTo(new PartState("ERROR", false, true));
        assertThat(PartState.of((io.concord.replicator.apply.ApplyService) null)).isEqualTo(PartState.NO_APPLY);
    }

    @Test
    void readyWhenCaptureStreamsOrStandsByAndApplyRuns() {
        assertThat(new HealthProbes(() -> ACTIVE, () -> RUNNING).readiness())
                .isEqualTo(new HealthProbes.Answer(200, "{\"status\":\"READY\",\"capture\":\"active\",\"apply\":\"RUNNING\"}"));
        assertThat(new HealthProbes(() -> STANDBY, () -> RUNNING).readiness().status()).isEqualTo(200);
        assertThat(new HealthProbes(() -> ACTIVE, () -> PartState.NO_APPLY).readiness())
                .isEqualTo(new HealthProbes.Answer(200, "{\"status\":\"READY\",\"capture\":\"active\",\"apply\":\"none\"}"));
        assertThat(new HealthProbes(() -> STANDBY, () -> REBALANCING).readiness()).isEqualTo(new HealthProbes.Answer(
                503, "{\"status\":\"NOT_READY\",\"capture\":\"standby\",\"apply\":\"REBALANCING\"}"));
        assertThat(new HealthProbes(() -> PartState.capture(Thread.State.RUNNABLE, false, false, null), () -> RUNNING)
                .readiness().status()).isEqualTo(503);
    }

    @Test
    void aliveUntilAPartFailsForGood() {
        assertThat(new HealthProbes(() -> STANDBY, () -> REBALANCING).health())
                .as("not ready is still alive").isEqualTo(new HealthProbes.Answer(
                        200, "{\"status\":\"UP\",\"capture\":\"standby\",\"apply\":\"REBALANCING\"}"));
        PartState died = PartState.apply(Optional.of(KafkaStreams.State.ERROR), new IllegalStateException("died"));
        assertThat(new HealthProbes(() -> ACTIVE, () -> died).health()).isEqualTo(new HealthProbes.Answer(
                503, "{\"status\":\"DOWN\",\"capture\":\"active\",\"apply\":\"ERROR\"}"));
        PartState stopped = PartState.capture(Thread.State.TERMINATED, false, false, null);
        assertThat(new HealthProbes(() -> stopped, () -> RUNNING).health().status()).isEqualTo(503);
    }
}
