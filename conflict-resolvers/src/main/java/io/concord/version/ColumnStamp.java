package io.concord.version;

import java.util.Objects;

/**
 * The write that last set a column, for column-by-column merging: its timestamp, and its position
 * among its DC's writes of the row (the DC's version-vector counter right after that write).
 *
 * <p>The position (a "dot") lets a replica tell whether it has already seen that write
 * ({@link #seenBy}); the timestamp alone could not, and without that a value overwritten after
 * being seen would be mistaken for a concurrent one.
 */
public record ColumnStamp(HybridTimestamp timestamp, long counter) implements Comparable<ColumnStamp> {

    /** Checks the parts. */
    public ColumnStamp {
        Objects.requireNonNull(timestamp, "timestamp");
        if (counter <= 0) {
            throw new IllegalArgumentException("column stamp counter must be positive, got " + counter);
        }
    }

    /** The stamp of a write whose row version is {@code version}, made by {@code version.dc()}. */
    public static ColumnStamp of(RowVersion version) {
        return new ColumnStamp(version.timestamp(), version.vector().get(version.dc()));
    }

    /** The DC that wrote the column. */
    public DcId dc() {
        return timestamp.dc();
    }

    /** Whether a row whose vector is {@code vector} has seen the write this stamp names. */
    public boolean seenBy(VersionVector vector) {
        return vector.hasSeen(timestamp.dc(), counter);
    }

    @Override
    public int compareTo(ColumnStamp other) {
        int byTime = timestamp.compareTo(other.timestamp);
        return byTime != 0 ? byTime : Long.compare(counter, other.counter);
    }

    @Override
    public String toString() {
        return timestamp + "#" + counter;
    }
}
