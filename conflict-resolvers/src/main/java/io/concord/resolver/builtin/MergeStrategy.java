package io.concord.resolver.builtin;

import io.concord.resolver.ColumnEntry;
import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * How the {@code merge} resolver turns a column's concurrent values into one.
 *
 * <p>A strategy reads the column's {@link ColumnState}: the values written by mutually concurrent
 * writes that no later write overwrote. With one such value (the column changed on one side only,
 * or not at all) every strategy returns it unchanged, which is why changes to disjoint columns
 * both survive. Each strategy is a function of the <em>set</em> of values, so the result does not
 * depend on the order versions meet in.
 */
public enum MergeStrategy {
    /** The value of the column's last write by {@code (hlc, dc)} (column-level versions). */
    LWW,
    /** Deltas from every DC are added up, each once (see {@link ColumnState.Counter}). */
    COUNTER,
    /** The largest value (NULLs ignored unless all are NULL). */
    MAX,
    /** The smallest value (NULLs ignored unless all are NULL). */
    MIN,
    /** All elements of all values (arrays, lists, sets), de-duplicated and sorted, as a list. */
    UNION,
    /** The distinct non-NULL values as text, sorted and joined with the separator. */
    CONCAT;

    /** The name used in configuration, e.g. {@code counter}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column's value from its state; {@code separator} is used by {@link #CONCAT}. */
    public Object read(ColumnState state, String separator) {
        if (state instanceof ColumnState.Counter counter) {
            return counter.value();
        }
        List<ColumnEntry> entries = ((ColumnState.Register) state).entries();
        if (entries.size() == 1) {
            return entries.get(0).value();
        }
        List<Object> values = entries.stream().map(ColumnEntry::value).toList();
        return switch (this) {
            case LWW, COUNTER -> ((ColumnState.Register) state).latestEntry().value();
            case MAX -> extreme(values, (a, b) -> ColumnValues.compare(a, b) >= 0 ? a : b);
            case MIN -> extreme(values, (a, b) -> ColumnValues.compare(a, b) <= 0 ? a : b);
            case UNION -> union(values);
            case CONCAT -> concat(values, separator);
        };
    }

    private static Object extreme(List<Object> values, BinaryOperator<Object> pick) {
        return values.stream().filter(Objects::nonNull).reduce(pick).orElse(null);
    }

    private static Object union(List<Object> values) {
        List<Object> elements = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Collection<?> collection) {
                elements.addAll(collection);
            } else if (value instanceof Object[] array) {
                elements.addAll(Arrays.asList(array));
            } else if (value != null) {
                elements.add(value);
            }
        }
        return Collections.unmodifiableList(distinctSorted(elements));
    }

    private static Object concat(List<Object> values, String separator) {
        List<Object> texts = new ArrayList<>();
        values.stream().filter(Objects::nonNull).forEach(value -> texts.add(String.valueOf(value)));
        return texts.isEmpty() ? null : String.join(separator, distinctSorted(texts).stream().map(String.class::cast).toList());
    }

    private static List<Object> distinctSorted(List<Object> elements) {
        List<Object> sorted = new ArrayList<>(elements);
        sorted.sort(ColumnValues::compare);
        List<Object> distinct = new ArrayList<>();
        for (Object element : sorted) {
            if (distinct.isEmpty() || !ColumnValues.same(distinct.get(distinct.size() - 1), element)) {
                distinct.add(element);
            }
        }
        return distinct;
    }
}
