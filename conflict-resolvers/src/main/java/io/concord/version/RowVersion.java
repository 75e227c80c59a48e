package io.concord.version;

import java.util.Map;
import java.util.Objects;

/**
 * The version of one row: its version vector plus the hybrid timestamp of the write that produced
 * it (or, for a merged version, the latest timestamp among the versions merged).
 *
 * <p>A local write by DC {@code d} yields {@code vector + {d: +1}} and
 * {@code hlc' = max(commit time, hlc + 1)} ({@link #next}), so a write made after seeing another
 * always carries the larger {@code hlc}, whatever the wall clocks say. {@link #merge} is the version
 * of a resolved conflict: the vector's pointwise max and the larger timestamp, which dominates both
 * inputs and does not depend on which side was local.
 *
 * <p>Text form: {@code a:3,b:1@1700000000000000/a} (vector, {@code @}, timestamp).
 */
public record RowVersion(VersionVector vector, HybridTimestamp timestamp) {

    /** Checks that the writing DC is counted in the vector, as every real version has it. */
    public RowVersion {
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(timestamp, "timestamp");
        if (vector.get(timestamp.dc()) == 0) {
            throw new IllegalArgumentException("version " + vector + "@" + timestamp
                    + " names writer '" + timestamp.dc() + "', which its vector does not count");
        }
    }

    /** The version of the first write of a row, by {@code dc} at {@code commitMicros}. */
    public static RowVersion first(DcId dc, long commitMicros) {
        return new RowVersion(VersionVector.empty().increment(dc), new HybridTimestamp(commitMicros, dc));
    }

    /** String-friendly factory from the Avro {@code RowVersion} fields. */
    public static RowVersion of(Map<String, Long> vector, long hlc, String dc) {
        return new RowVersion(VersionVector.of(vector), HybridTimestamp.of(hlc, dc));
    }

    /** Parses the text form written by {@link #toString()}. */
    public static RowVersion parse(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException(
                    "bad row version '" + text + "': expected vector@hlc/dc, e.g. a:3,b:1@1700000000000000/a");
        }
        return new RowVersion(VersionVector.parse(text.substring(0, at)),
                HybridTimestamp.parse(text.substring(at + 1)));
    }

    /** The version after a local write by {@code dc} committed at {@code commitMicros}. */
    public RowVersion next(DcId dc, long commitMicros) {
        long hlc = Math.max(commitMicros, Math.addExact(timestamp.hlc(), 1L));
        return new RowVersion(vector.increment(dc), new HybridTimestamp(hlc, dc));
    }

    /** The version that has seen both: pointwise-max vector, later timestamp. */
    public RowVersion merge(RowVersion other) {
        return new RowVersion(vector.merge(other.vector), HybridTimestamp.max(timestamp, other.timestamp));
    }

    /** Happens-before between the two versions' vectors. */
    public Causality compare(RowVersion other) {
        return vector.compare(other.vector);
    }

    /** The hybrid logical clock value, microseconds since the epoch. */
    public long hlc() {
        return timestamp.hlc();
    }

    /** The DC that wrote this version (for a merged version, the DC of the later timestamp). */
    public DcId dc() {
        return timestamp.dc();
    }

    @Override
    public String toString() {
        return vector + "@" + timestamp;
    }
}
