package io.concord.replicator.capture;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of capture, read by status and the metrics endpoint. */
public final class CaptureMetrics {

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong truncatesIgnored = new AtomicLong();
    private final AtomicLong restartsForMovedState = new AtomicLong();
    private volatile Lsn confirmed = Lsn.INVALID;
    private final CapturePhases phases = new CapturePhases();

    /** Time capture spent in each step of its batches, and its slowest batch. */
    public CapturePhases phases() {
        return phases;
    }

    /** {@code events} went out on Kafka, {@code local} of them this DC's own writes (the rest forwarded). */
    void published(int events, int local) {
        published.addAndGet(events);
        captured.addAndGet(local);
    }

    void truncateIgnored() {
        truncatesIgnored.incrementAndGet();
    }

    void restartedForMovedState() {
        restartsForMovedState.incrementAndGet();
    }

    void confirmed(Lsn lsn) {
        confirmed = lsn;
    }

    /** Change events published: this DC's own, and in star and ring those it forwards. */
    public long published() {
        return published.get();
    }

    /** Change events of this DC's own writes, published. */
    public long captured() {
        return captured.get();
    }

    public long truncatesIgnored() {
        return truncatesIgnored.get();
    }

    /** Batches versioned again because apply stored a state of one of their rows meanwhile. */
    public long restartsForMovedState() {
        return restartsForMovedState.get();
    }

    public Lsn confirmed() {
        return confirmed;
    }
}
