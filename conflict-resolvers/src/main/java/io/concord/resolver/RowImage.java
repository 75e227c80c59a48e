package io.concord.resolver;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An immutable row image: column name → typed value.
 *
 * <p>A column mapped to {@code null} holds SQL NULL; a column that is not in the image at all is
 * <em>absent</em>, meaning "unknown here" (for example an unchanged TOASTed value that PostgreSQL
 * did not send). The two are never confused: {@link #get} refuses an absent column, and
 * {@link #contains} tells them apart. Values are copied on the way in and arrays on the way out, so
 * an image cannot change after it is built. Columns are kept in name order.
 */
public final class RowImage {

    private static final RowImage EMPTY = new RowImage(new TreeMap<>());

    private final SortedMap<String, Object> columns;

    private RowImage(TreeMap<String, Object> columns) {
        this.columns = Collections.unmodifiableSortedMap(columns);
    }

    /** An image of the given columns; a {@code null} value is SQL NULL. */
    public static RowImage of(Map<String, ?> columns) {
        Objects.requireNonNull(columns, "columns");
        TreeMap<String, Object> copy = new TreeMap<>();
        columns.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "column name"),
                ColumnValues.freeze(value)));
        return new RowImage(copy);
    }

    /** The image with no column at all. */
    public static RowImage empty() {
        return EMPTY;
    }

    /** Whether {@code column} is present (possibly as SQL NULL). */
    public boolean contains(String column) {
        return columns.containsKey(column);
    }

    /**
     * The value of a present column; {@code null} is SQL NULL.
     *
     * @throws IllegalArgumentException if the column is absent, which means unknown, not NULL
     */
    public Object get(String column) {
        Object value = columns.get(column); // one lookup; the second only for NULL, to tell it from absent
        if (value == null && !columns.containsKey(column)) {
            throw new IllegalArgumentException("column '" + column + "' is absent from the row image "
                    + columns.keySet() + " (absent means unknown, not NULL; check contains() first)");
        }
        return ColumnValues.expose(value);
    }

    /** The present columns, in name order. */
    public Set<String> columns() {
        return columns.keySet();
    }

    /** Whether no column is present. */
    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /** This image with {@code column} set to {@code value} ({@code null} for SQL NULL). */
    public RowImage with(String column, Object value) {
        TreeMap<String, Object> copy = new TreeMap<>(columns);
        copy.put(Objects.requireNonNull(column, "column"), ColumnValues.freeze(value));
        return new RowImage(copy);
    }

    /** This image with {@code column} absent. */
    public RowImage without(String column) {
        TreeMap<String, Object> copy = new TreeMap<>(columns);
        copy.remove(column);
        return new RowImage(copy);
    }

    /** The columns as an unmodifiable map (arrays copied). */
    public Map<String, Object> toMap() {
        TreeMap<String, Object> copy = new TreeMap<>();
        columns.forEach((name, value) -> copy.put(name, ColumnValues.expose(value)));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** A stable, type-tagged text form (see {@link ColumnValues#canonical}). */
    public String canonical() {
        return columns.entrySet().stream()
                .map(e -> ColumnValues.canonical(e.getKey()) + "=" + ColumnValues.canonical(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RowImage that) || !columns.keySet().equals(that.columns.keySet())) {
            return false;
        }
        return columns.entrySet().stream()
                .allMatch(e -> ColumnValues.same(e.getValue(), that.columns.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            h += e.getKey().hashCode() ^ ColumnValues.hash(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        return columns.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof byte[] b ? ColumnValues.canonical(b)
                        : String.valueOf(e.getValue())))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
