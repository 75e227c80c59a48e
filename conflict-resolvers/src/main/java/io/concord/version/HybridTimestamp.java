package io.concord.version;

import java.util.Objects;

/**
 * A hybrid-logical-clock value and the DC that produced it: the total order
 * {@code (hlc, dc)} that last-write-wins uses, like a Lamport timestamp with the DC as tiebreak.
 *
 * <p>{@code hlc} is in microseconds since the Unix epoch; logical ticks add one microsecond (see
 * {@link HybridLogicalClock}). Two different writes of a row never share a timestamp: writes by one DC
 * have increasing {@code hlc}, writes by different DCs differ in {@code dc}.
 */
public record HybridTimestamp(long hlc, DcId dc) implements Comparable<HybridTimestamp> {

    /** Checks the parts. */
    public HybridTimestamp {
        Objects.requireNonNull(dc, "dc");
        if (hlc < 0) {
            throw new IllegalArgumentException("hlc must not be negative, got " + hlc);
        }
    }

    /** String-friendly factory. */
    public static HybridTimestamp of(long hlc, String dc) {
        return new HybridTimestamp(hlc, DcId.of(dc));
    }

    /** Parses {@code hlc/dc}, the form {@link #toString()} writes. */
    public static HybridTimestamp parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("bad hybrid timestamp '" + text + "': expected hlc/dc");
        }
        try {
            return of(Long.parseLong(text.substring(0, slash)), text.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "bad hybrid timestamp '" + text + "': " + e.getMessage() + " (expected hlc/dc)", e);
        }
    }

    /** The later of two timestamps. */
    public static HybridTimestamp max(HybridTimestamp a, HybridTimestamp b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(HybridTimestamp other) {
        int byClock = Long.compare(hlc, other.hlc);
        return byClock != 0 ? byClock : dc.compareTo(other.dc);
    }

    @Override
    public String toString() {
        return hlc + "/" + dc;
    }
}
