package io.concord.version;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A datacenter's hybrid logical clock, in microseconds since the Unix epoch. Thread-safe.
 *
 * <ul>
 *   <li>{@link #tick(long)} stamps a local commit: {@code max(commitMicros, previous + 1)}. Values
 *       never go backwards even when the wall clock does, and follow it when it moves ahead.</li>
 *   <li>{@link #receive(long)} takes in a timestamp seen on a remote write:
 *       {@code max(previous, remote, now)}, so the next local tick is above everything this DC has
 *       seen. That is what lets a write made after reading a remote write win last-write-wins
 *       against it even when this DC's wall clock is behind.</li>
 * </ul>
 *
 * <p>The row-level rule ({@link RowVersion#next}) applies {@code max(commit, row hlc + 1)} on top,
 * so causality holds per row even if a caller forgets {@code receive}; the DC-wide clock keeps a
 * DC's timestamps increasing across rows.
 */
public final class HybridLogicalClock {

    private final LongSupplier physicalMicros;
    private final AtomicLong last;

    /** A clock reading {@code physicalMicros} for "now", starting at zero. */
    public HybridLogicalClock(LongSupplier physicalMicros) {
        this(physicalMicros, 0L);
    }

    /** A clock reading {@code physicalMicros} that resumes from {@code lastIssued}, e.g. after a restart. */
    public HybridLogicalClock(LongSupplier physicalMicros, long lastIssued) {
        this.physicalMicros = Objects.requireNonNull(physicalMicros, "physicalMicros");
        this.last = new AtomicLong(lastIssued);
    }

    /** A clock on the system's UTC wall clock. */
    public static HybridLogicalClock system() {
        Clock clock = Clock.systemUTC();
        return new HybridLogicalClock(() -> micros(clock.instant()));
    }

    private static long micros(Instant instant) {
        return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + instant.getNano() / 1_000L;
    }

    /** Stamps a local commit that happened at {@code commitMicros} by the wall clock. */
    public long tick(long commitMicros) {
        return last.updateAndGet(previous -> Math.max(commitMicros, Math.addExact(previous, 1L)));
    }

    /** Stamps a local event happening now. */
    public long tick() {
        return tick(physicalMicros.getAsLong());
    }

    /** Takes in a remote timestamp; returns the clock's value afterwards. */
    public long receive(long remoteHlc) {
        long now = physicalMicros.getAsLong();
        return last.updateAndGet(previous -> Math.max(previous, Math.max(remoteHlc, now)));
    }

    /** The last value issued or received, without advancing. */
    public long current() {
        return last.get();
    }
}
