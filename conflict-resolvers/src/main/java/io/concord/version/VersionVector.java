package io.concord.version;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable version vector: for each DC, how many of that DC's writes of a row this version has
 * seen. Absent DCs count zero, so only positive counters are stored and two vectors that have seen
 * the same writes are {@code equals}.
 *
 * <p>Because a DC's writes of a row are made one after another, a counter {@code n} for DC {@code d}
 * means "has seen d's writes 1 to n"; the vector is therefore the whole causal history of the row,
 * and {@link #compare} decides happens-before exactly. {@link #merge} (pointwise max) is the union
 * of two histories: commutative, associative and idempotent.
 *
 * <p>The compact text form, {@code a:3,b:1}, lists DCs in id order; the empty vector is the empty
 * string. {@link #toMap()} and {@link #of(Map)} convert to and from the Avro {@code map<string,long>}.
 */
public record VersionVector(SortedMap<DcId, Long> counters) {

    private static final VersionVector EMPTY = new VersionVector(new TreeMap<>());

    /** Copies the counters and checks that each is positive. */
    public VersionVector {
        Objects.requireNonNull(counters, "counters");
        TreeMap<DcId, Long> copy = new TreeMap<>();
        counters.forEach((dc, counter) -> {
            Objects.requireNonNull(dc, "DC id");
            Objects.requireNonNull(counter, "counter");
            if (counter <= 0) {
                throw new IllegalArgumentException(
                        "counter of DC '" + dc + "' must be positive, got " + counter);
            }
            copy.put(dc, counter);
        });
        counters = Collections.unmodifiableSortedMap(copy);
    }

    /** The vector of a row nobody has written. */
    public static VersionVector empty() {
        return EMPTY;
    }

    /** Builds a vector from DC id → counter, the shape the Avro event carries. */
    public static VersionVector of(Map<String, Long> counters) {
        TreeMap<DcId, Long> typed = new TreeMap<>();
        counters.forEach((dc, counter) -> typed.put(DcId.of(dc), counter));
        return new VersionVector(typed);
    }

    /**
     * Parses the compact form written by {@link #toString()}, e.g. {@code a:3,b:1}; pairs may come in
     * any order. Rejects anything else with a message naming the offending part.
     */
    public static VersionVector parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return EMPTY;
        }
        TreeMap<DcId, Long> counters = new TreeMap<>();
        for (String pair : text.split(",", -1)) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon != pair.lastIndexOf(':')) {
                throw badText(text, "'" + pair + "' is not a dc:counter pair");
            }
            DcId dc;
            long counter;
            try {
                dc = DcId.of(pair.substring(0, colon));
                counter = Long.parseLong(pair.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw badText(text, "'" + pair + "': " + e.getMessage());
            }
            if (counter <= 0) {
                throw badText(text, "'" + pair + "': counter must be positive");
            }
            if (counters.put(dc, counter) != null) {
                throw badText(text, "DC '" + dc + "' appears twice");
            }
        }
        return new VersionVector(counters);
    }

    private static IllegalArgumentException badText(String text, String problem) {
        return new IllegalArgumentException("bad version vector '" + text + "': " + problem
                + " (expected dc:counter pairs joined by ',', e.g. a:3,b:1)");
    }

    /** How many of {@code dc}'s writes this version has seen. */
    public long get(DcId dc) {
        return counters.getOrDefault(dc, 0L);
    }

    /** Whether this version has seen the {@code counter}-th write of {@code dc}. */
    public boolean hasSeen(DcId dc, long counter) {
        return get(dc) >= counter;
    }

    /** Whether no write has been seen. */
    public boolean isEmpty() {
        return counters.isEmpty();
    }

    /** The vector after one more write by {@code dc}. */
    public VersionVector increment(DcId dc) {
        TreeMap<DcId, Long> next = new TreeMap<>(counters);
        next.merge(dc, 1L, Math::addExact);
        return new VersionVector(next);
    }

    /** Pointwise maximum: the version that has seen everything either has seen. */
    public VersionVector merge(VersionVector other) {
        TreeMap<DcId, Long> merged = new TreeMap<>(counters);
        other.counters.forEach((dc, counter) -> merged.merge(dc, counter, Math::max));
        return new VersionVector(merged);
    }

    /** How this version relates to {@code other}: BEFORE means {@code other} has seen all of this. */
    public Causality compare(VersionVector other) {
        boolean less = false;
        boolean greater = false;
        TreeSet<DcId> dcs = new TreeSet<>(counters.keySet());
        dcs.addAll(other.counters.keySet());
        for (DcId dc : dcs) {
            long mine = get(dc);
            long theirs = other.get(dc);
            less |= mine < theirs;
            greater |= mine > theirs;
        }
        if (less && greater) {
            return Causality.CONCURRENT;
        }
        if (less) {
            return Causality.BEFORE;
        }
        return greater ? Causality.AFTER : Causality.EQUAL;
    }

    /** DC id → counter in id order, the shape of the Avro {@code map<string,long>}. */
    public Map<String, Long> toMap() {
        TreeMap<String, Long> map = new TreeMap<>();
        counters.forEach((dc, counter) -> map.put(dc.value(), counter));
        return Collections.unmodifiableSortedMap(map);
    }

    /** The compact form, {@code a:3,b:1}; see {@link #parse}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        counters.forEach((dc, counter) -> {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(dc.value()).append(':').append(counter);
        });
        return text.toString();
    }
}
