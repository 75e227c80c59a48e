package io.concord.replicator.apply;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one DC's apply topology, read by tests and the metrics endpoint. What a counter cannot hold
 * (each batch's size and time, conflicts by table and type) goes to an {@link Observer}.
 */
public final class ApplyMetrics {

    /** Told of each committed batch; the metrics endpoint turns these into histograms and tagged counters. */
    public interface Observer {

        /** A batch of {@code events} events committed after {@code nanos} nanoseconds. */
        default void batchApplied(int events, long nanos) {
        }

        /** {@code count} conflicts of {@code type} (e.g. {@code update_update}) on {@code table} were settled. */
        default void conflicts(String table, String type, int count) {
        }
    }

    private static final Observer NOBODY = new Observer() {
    };

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong loopsDropped = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong partsReapplied = new AtomicLong();
    private final AtomicLong freshKeysHeld = new AtomicLong();
    private final AtomicLong freshKeysMissed = new AtomicLong();
    private final Map<String, Long> heartbeatMicros = new ConcurrentHashMap<>();
    private final ApplyPhases phases = new ApplyPhases();
    private volatile Observer observer = NOBODY;

    /** Sets the one observer (replacing any earlier one). */
    public void observe(Observer observer) {
        this.observer = observer == null ? NOBODY : observer;
    }

    void batch(BatchApplier.Outcome outcome, int events, long nanos) {
        batches.incrementAndGet();
        applied.addAndGet(outcome.applied());
        skipped.addAndGet(outcome.skipped());
        conflicts.addAndGet(outcome.conflicts());
        deadLetters.addAndGet(outcome.deadLetters());
        switch (outcome.freshKeys()) {
            case HELD -> freshKeysHeld.incrementAndGet();
            case MISSED -> freshKeysMissed.incrementAndGet();
            case NOT_TRIED -> { }
        }
        Observer current = observer;
        current.batchApplied(events, nanos);
        outcome.settled().forEach((kind, count) -> current.conflicts(kind.table(), kind.type(), count));
    }

    void loopDropped() {
        loopsDropped.incrementAndGet();
    }

    void deadLetters(int count) {
        deadLetters.addAndGet(count);
    }

    void retry() {
        retries.incrementAndGet();
    }

    void partsReapplied(int count) {
        partsReapplied.addAndGet(count);
    }

    /** Batches of inserts committed as fresh keys (no lock, no read of states: {@code FreshKeys}). */
    public long freshKeysHeld() {
        return freshKeysHeld.get();
    }

    /** Batches of inserts tried as fresh keys that found a row or a state and went the ordinary way. */
    public long freshKeysMissed() {
        return freshKeysMissed.get();
    }

    /** A heartbeat of {@code peer}, sent at {@code timeMicros} by the peer's clock; older ones are ignored. */
    void heartbeat(String peer, long timeMicros) {
        heartbeatMicros.merge(peer, timeMicros, Math::max);
    }

    /** Time the appliers spent in each step of their batches. */
    public ApplyPhases phases() {
        return phases;
    }

    /** Local transactions committed by the appliers. */
    public long batches() {
        return batches.get();
    }

    /** Events that changed a row's state. */
    public long applied() {
        return applied.get();
    }

    /** Events already seen here (stale or duplicate), left as they were. */
    public long skipped() {
        return skipped.get();
    }

    /** Conflicts recorded in {@code concord.conflicts}. */
    public long conflicts() {
        return conflicts.get();
    }

    /** Events of this DC's own origin that came back around (a loop), dropped. */
    public long loopsDropped() {
        return loopsDropped.get();
    }

    /** Records set aside: undecodable, refused by the database, or in a batch that failed for good. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** Batches tried again after a retryable failure. */
    public long retries() {
        return retries.get();
    }

    /**
     * Later parts of batches ({@code apply.sessions}) that their own session could not commit, applied afterwards by
     * the first: a high rate means the parts wait on each other's rows, and one session would do as well.
     */
    public long partsReapplied() {
        return partsReapplied.get();
    }

    /** When the newest heartbeat of {@code peer} that apply has read was sent (µs since the epoch), if any. */
    public OptionalLong lastHeartbeatMicros(String peer) {
        Long micros = heartbeatMicros.get(peer);
        return micros == null ? OptionalLong.empty() : OptionalLong.of(micros);
    }
}
