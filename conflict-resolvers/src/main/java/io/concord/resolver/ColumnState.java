package io.concord.resolver;

import io.concord.version.ColumnStamp;
import io.concord.version.DcId;
import io.concord.version.VersionVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a replica knows about one column of a row, for resolvers that merge column by column.
 *
 * <p>Both kinds are join-semilattices (merging is commutative, associative and idempotent), which is
 * what makes a column-by-column merge give the same row whatever order the versions meet in:
 * <ul>
 *   <li>{@link Register}: the values written to the column that no later write has overwritten,
 *       each with its write's stamp — one entry normally, several after concurrent writes;</li>
 *   <li>{@link Counter}: a base value plus each DC's accumulated increments and decrements, so that
 *       every delta counts exactly once.</li>
 * </ul>
 */
public sealed interface ColumnState permits ColumnState.Register, ColumnState.Counter {

    /** The latest stamp this state holds. */
    ColumnStamp latest();

    /**
     * Joins two states of a column; {@code aSeen} and {@code bSeen} are the version vectors of the
     * rows they belong to. States of different kinds (after a configuration change) keep the one
     * written last. Returns {@code null} if no value survives.
     */
    static ColumnState join(ColumnState a, VersionVector aSeen, ColumnState b, VersionVector bSeen) {
        if (a instanceof Register ra && b instanceof Register rb) {
            return ra.join(aSeen, rb, bSeen);
        }
        if (a instanceof Counter ca && b instanceof Counter cb) {
            return ca.join(cb);
        }
        int byStamp = a.latest().compareTo(b.latest());
        if (byStamp != 0) {
            return byStamp > 0 ? a : b;
        }
        return a instanceof Counter ? a : b;
    }

    /**
     * A multi-value register: the column's values not yet overwritten by a write that saw them.
     *
     * <p>Joining keeps an entry unless the other side has seen its write and no longer holds it
     * (it was overwritten there). Entries left are from mutually concurrent writes; a merge
     * strategy turns them into one value. A local write of the column replaces them all with one.
     */
    record Register(List<ColumnEntry> entries) implements ColumnState {

        /** Sorts the entries by stamp and drops duplicates; at least one entry is required. */
        public Register {
            TreeMap<ColumnStamp, ColumnEntry> byStamp = new TreeMap<>();
            for (ColumnEntry entry : entries) {
                byStamp.putIfAbsent(entry.stamp(), entry);
            }
            if (byStamp.isEmpty()) {
                throw new IllegalArgumentException("a register needs at least one entry");
            }
            entries = List.copyOf(byStamp.values());
        }

        /** A register holding one value. */
        public static Register of(ColumnStamp stamp, Object value) {
            return new Register(List.of(new ColumnEntry(stamp, value)));
        }

        /** The entry with the latest stamp: the column-level last write. */
        public ColumnEntry latestEntry() {
            return entries.get(entries.size() - 1);
        }

        @Override
        public ColumnStamp latest() {
            return latestEntry().stamp();
        }

        /** Joins with another register; see the type's documentation. */
        Register join(VersionVector mineSeen, Register other, VersionVector otherSeen) {
            Set<ColumnStamp> mine = stamps();
            Set<ColumnStamp> theirs = other.stamps();
            List<ColumnEntry> kept = new ArrayList<>();
            for (ColumnEntry entry : entries) {
                if (theirs.contains(entry.stamp()) || !entry.stamp().seenBy(otherSeen)) {
                    kept.add(entry);
                }
            }
            for (ColumnEntry entry : other.entries) {
                if (!mine.contains(entry.stamp()) && !entry.stamp().seenBy(mineSeen)) {
                    kept.add(entry);
                }
            }
            return kept.isEmpty() ? null : new Register(kept);
        }

        private Set<ColumnStamp> stamps() {
            Set<ColumnStamp> stamps = new HashSet<>();
            entries.forEach(entry -> stamps.add(entry.stamp()));
            return stamps;
        }
    }

    /**
     * A counter column as a PN-counter with a base: value = base + Σ increments − Σ decrements.
     *
     * <p>Only DC {@code d} ever changes {@code increments[d]} and {@code decrements[d]}, and only
     * upwards, so joining takes the larger of each and counts every delta exactly once, whatever
     * the delivery order. The base is a last-write-wins register: a write that sets the column
     * without a known delta (an insert, a NULL, a value that is not a number) moves the base so that
     * the value reads as written, keeping the contributions counted so far.
     *
     * <p>Numbers of any {@link Number} class are summed exactly (as {@link BigDecimal}) and the
     * value is returned in the class of the base (a {@code Long} column stays {@code Long}).
     */
    record Counter(ColumnEntry base, SortedMap<DcId, BigDecimal> increments,
                   SortedMap<DcId, BigDecimal> decrements) implements ColumnState {

        /** Copies the maps and checks that every contribution is positive. */
        public Counter {
            Objects.requireNonNull(base, "base");
            increments = positive(increments, "increment");
            decrements = positive(decrements, "decrement");
        }

        private static SortedMap<DcId, BigDecimal> positive(Map<DcId, BigDecimal> map, String what) {
            TreeMap<DcId, BigDecimal> copy = new TreeMap<>(map);
            copy.forEach((dc, amount) -> {
                if (amount.signum() <= 0) {
                    throw new IllegalArgumentException(what + " of DC '" + dc + "' must be positive, got " + amount);
                }
            });
            return Collections.unmodifiableSortedMap(copy);
        }

        /** A counter that reads {@code value}, written by the write stamped {@code stamp}. */
        public static Counter start(ColumnStamp stamp, Object value) {
            return new Counter(new ColumnEntry(stamp, checkedNumber(value)), new TreeMap<>(), new TreeMap<>());
        }

        @Override
        public ColumnStamp latest() {
            return base.stamp();
        }

        /** The counter's value; SQL NULL while the base is NULL. */
        public Object value() {
            Object baseValue = base.value();
            if (baseValue == null) {
                return null;
            }
            return convert(toBigDecimal(baseValue).add(contributions()), baseValue);
        }

        /** Σ increments − Σ decrements. */
        public BigDecimal contributions() {
            BigDecimal sum = BigDecimal.ZERO;
            for (BigDecimal amount : increments.values()) {
                sum = sum.add(amount);
            }
            for (BigDecimal amount : decrements.values()) {
                sum = sum.subtract(amount);
            }
            return sum;
        }

        /**
         * The counter after a local write by {@code dc} changed the column from {@code before} to
         * {@code after}: the delta is added to {@code dc}'s contribution when both are numbers;
         * otherwise the base is reset so the counter reads {@code after}.
         */
        public Counter update(DcId dc, ColumnStamp stamp, Object before, Object after) {
            if (before == null || after == null) {
                return reset(stamp, after);
            }
            BigDecimal delta = toBigDecimal(checkedNumber(after)).subtract(toBigDecimal(checkedNumber(before)));
            if (delta.signum() == 0) {
                return this;
            }
            TreeMap<DcId, BigDecimal> up = new TreeMap<>(increments);
            TreeMap<DcId, BigDecimal> down = new TreeMap<>(decrements);
            if (delta.signum() > 0) {
                up.merge(dc, delta, BigDecimal::add);
            } else {
                down.merge(dc, delta.negate(), BigDecimal::add);
            }
            return new Counter(base, up, down);
        }

        /** The counter moved to read {@code value}, keeping the contributions counted so far. */
        public Counter reset(ColumnStamp stamp, Object value) {
            Object baseValue = value == null ? null
                    : convert(toBigDecimal(checkedNumber(value)).subtract(contributions()), value);
            return new Counter(new ColumnEntry(stamp, baseValue), increments, decrements);
        }

        Counter join(Counter other) {
            ColumnEntry joinedBase = base.stamp().compareTo(other.base.stamp()) >= 0 ? base : other.base;
            return new Counter(joinedBase, larger(increments, other.increments), larger(decrements, other.decrements));
        }

        private static SortedMap<DcId, BigDecimal> larger(Map<DcId, BigDecimal> a, Map<DcId, BigDecimal> b) {
            TreeMap<DcId, BigDecimal> joined = new TreeMap<>(a);
            // Equal amounts come from the same writes; the scale tiebreak only keeps the join commutative.
            b.forEach((dc, amount) -> joined.merge(dc, amount, (x, y) -> {
                int byValue = x.compareTo(y);
                if (byValue != 0) {
                    return byValue > 0 ? x : y;
                }
                return x.scale() >= y.scale() ? x : y;
            }));
            return joined;
        }

        private static Object checkedNumber(Object value) {
            if (value != null && !(value instanceof Number)) {
                throw new IllegalArgumentException("a counter column must hold numbers, got "
                        + value.getClass().getSimpleName() + " " + ColumnValues.canonical(value));
            }
            return value;
        }

        private static BigDecimal toBigDecimal(Object value) {
            boolean exact = value instanceof BigDecimal || value instanceof BigInteger || value instanceof Long
                    || value instanceof Integer || value instanceof Short || value instanceof Byte;
            boolean finiteFloat = (value instanceof Double || value instanceof Float)
                    && Double.isFinite(((Number) value).doubleValue());
            if (!exact && !finiteFloat) {
                throw new IllegalArgumentException("a counter cannot add up " + ColumnValues.canonical(value));
            }
            return ColumnValues.toBigDecimal((Number) value);
        }

        /** {@code amount} in the class of {@code template}; fails rather than round or overflow. */
        private static Object convert(BigDecimal amount, Object template) {
            if (template instanceof Long) {
                return amount.longValueExact();
            }
            if (template instanceof Integer) {
                return amount.intValueExact();
            }
            if (template instanceof Short) {
                return amount.shortValueExact();
            }
            if (template instanceof Byte) {
                return amount.byteValueExact();
            }
            if (template instanceof BigInteger) {
                return amount.toBigIntegerExact();
            }
            if (template instanceof Double) {
                return amount.doubleValue();
            }
            if (template instanceof Float) {
                return amount.floatValue();
            }
            return amount;
        }
    }
}
