package io.concord.replicator.metrics;

import io.concord.replicator.apply.ApplyService;
import io.concord.replicator.capture.CaptureService;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How one part of a DC's runtime (capture, apply) stands, as {@code /health} and {@code /ready} report it.
 *
 * @param name   the state shown to people: lower case for capture, Kafka Streams' state names for apply
 * @param ready  whether the part does its job (or stands by, ready to)
 * @param failed whether it stopped for good
 */
public record PartState(String name, boolean ready, boolean failed) {

    /** What stands in for apply in a DC that consumes no peer: nothing to wait for. */
    public static final PartState NO_APPLY = new PartState("none", true, false);

    /**
     * Capture, from its service and its thread. A standby is ready: it waits for the slot its active twin
     * holds, and a rollout that waits for it to be ready would never finish. Reading the slot again after a
     * failure ({@code connecting}) is not ready; a thread that ended is a failure, as for {@code concord run}.
     */
    public static PartState capture(Thread.State thread, boolean active, boolean standby, Throwable failure) {
        if (failure != null) {
            return new PartState("failed", false, true);
        }
        if (thread == Thread.State.TERMINATED) {
            return new PartState("stopped", false, true);
        }
        if (thread == Thread.State.NEW) {
            return new PartState("starting", false, false);
        }
        if (active) {
            return new PartState("active", true, false);
        }
        return standby ? new PartState("standby", true, false) : new PartState("connecting", false, false);
    }

    /** Capture as it stands now. */
    public static PartState of(CaptureService capture, Thread thread) {
        return capture(thread.getState(), capture.isActive(), capture.isStandby(), capture.failure());
    }

    /**
     * Apply, from its Kafka Streams state (empty when no client runs): ready only in {@code RUNNING}, when
     * the peers' partitions are assigned and processed; failed once {@link ApplyService#failure()} is set.
     */
    public static PartState apply(Optional<KafkaStreams.State> streams, Throwable failure) {
        String name = streams.map(Enum::name).orElse("NOT_RUNNING");
        return new PartState(name, failure == null && streams.orElse(null) == KafkaStreams.State.RUNNING,
                failure != null);
    }

    /** Apply as it stands now; {@link #NO_APPLY} when there is none. */
    public static PartState of(ApplyService apply) {
        return apply == null ? NO_APPLY : apply(apply.state(), apply.failure());
    }
}
