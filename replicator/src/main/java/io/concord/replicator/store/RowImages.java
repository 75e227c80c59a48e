package io.concord.replicator.store;

import io.concord.event.Column;
import io.concord.resolver.RowImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Row images between the events' column lists ({@code List<Column>}) and the resolvers'
 * {@link RowImage}, value by value through {@link JavaValues}.
 *
 * <p>A {@code RowImage} holds Java values only, so going back needs each column's PostgreSQL type
 * name: callers pass it as a map column → {@code pg_type.typname} (what {@code Column.type} carries),
 * taken from the change's columns or the table's relation. A column absent from an image stays absent
 * (unknown, e.g. unchanged TOAST) and a NULL stays NULL; the two never mix.
 */
public final class RowImages {

    private RowImages() {
    }

    /** The image of these columns; each value converted with its column's type (see {@link JavaValues}). */
    public static RowImage fromColumns(List<Column> columns) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column column : columns) {
            Object value = JavaValues.toJava(column.getValue(), column.getType());
            if (values.containsKey(column.getName())) {
                throw new IllegalArgumentException("column '" + column.getName() + "' appears twice in a row image");
            }
            values.put(column.getName(), value);
        }
        return RowImage.of(values);
    }

    /**
     * The columns of an image, in column-name order, each with its type from {@code types}.
     *
     * @throws IllegalArgumentException if a column's type is not in {@code types}, or its value does
     *     not fit the type
     */
    public static List<Column> toColumns(RowImage image, Map<String, String> types) {
        List<Column> columns = new ArrayList<>(image.columns().size());
        for (String name : image.columns()) {
            String type = typeOf(types, name);
            try {
                columns.add(new Column(name, type, JavaValues.toDatum(image.get(name), type)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
            }
        }
        return columns;
    }

    /** Column name → type name of these columns, in name order. */
    public static Map<String, String> typesOf(List<Column> columns) {
        Map<String, String> types = new TreeMap<>();
        columns.forEach(column -> types.put(column.getName(), column.getType()));
        return Collections.unmodifiableMap(types);
    }

    /** The type of {@code column}, or a message that names the column and the columns whose types are known. */
    static String typeOf(Map<String, String> types, String column) {
        String type = types.get(column);
        if (type == null) {
            throw new IllegalArgumentException("no PostgreSQL type known for column '" + column + "' (types known for "
                    + new TreeMap<>(types).keySet() + "); pass the type of every column of the row");
        }
        return type;
    }
}
