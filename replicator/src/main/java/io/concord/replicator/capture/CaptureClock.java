package io.concord.replicator.capture;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * This DC's hybrid logical clock as capture keeps it: a local write is stamped
 * {@code max(commit time, last + 1)}, and every version taken in from a peer moves the clock up
 * to it, so a write that follows another causally always has the larger stamp.
 *
 * <p>Unlike a general HLC it never reads the wall clock itself, only commit times from the WAL:
 * replaying the same WAL from the same saved value gives the same stamps, which is what makes
 * republished events after a crash identical to the first ones.
 *
 * <p>Test hook: {@code -Dconcord.clock-skew=PT30S} (an ISO-8601 duration, negative allowed, e.g.
 * {@code -PT30S}) shifts every commit time read from the WAL, as if this DC's PostgreSQL clock ran
 * that far ahead or behind. Fault tests use it to check that causality holds whatever the clocks say.
 * Off unless set. A DC must keep one skew for its whole life: a replay under another skew would
 * stamp the same change differently.
 */
final class CaptureClock {

    /** The system property of the test hook. */
    static final String SKEW_PROPERTY = "concord.clock-skew";

    private static final long SKEW_MICROS = skewMicros(System.getProperty(SKEW_PROPERTY));

    private long last;

    CaptureClock(long start) {
        this.last = start;
    }

    /** The stamp of a local write committed at {@code commitMicros}. */
    long tick(long commitMicros) {
        last = Math.max(commitMicros + SKEW_MICROS, last + 1);
        return last;
    }

    /** Takes in a stamp already issued (a peer's write, or one of ours replayed). */
    void observe(long hlc) {
        last = Math.max(last, hlc);
    }

    long current() {
        return last;
    }

    /** The skew in microseconds; 0 when {@code value} is null. */
    static long skewMicros(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            Duration skew = Duration.parse(value.trim());
            return Math.addExact(Math.multiplyExact(skew.getSeconds(), 1_000_000L), skew.getNano() / 1_000);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("-D" + SKEW_PROPERTY + "=" + value
                    + " is not an ISO-8601 duration such as PT30S or -PT2M", e);
        }
    }
}
