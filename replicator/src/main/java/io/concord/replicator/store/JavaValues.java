package io.concord.replicator.store;

import io.concord.event.ArrayValue;
import io.concord.event.DateValue;
import io.concord.event.Datum;
import io.concord.event.EnumValue;
import io.concord.event.IntervalValue;
import io.concord.event.JsonValue;
import io.concord.event.NumericSpecial;
import io.concord.event.NumericValue;
import io.concord.event.TextValue;
import io.concord.event.TimeTzValue;
import io.concord.event.TimeValue;
import io.concord.event.TimestampTzValue;
import io.concord.event.TimestampValue;
import io.concord.event.UuidValue;
import io.concord.replicator.types.BuiltinTypes;
import io.concord.replicator.types.PgType;
import io.concord.replicator.types.ValueKind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Java value of a {@link Datum}, as resolvers see it in a {@code RowImage}, and back.
 *
 * <table>
 *   <caption>Datum branch → Java value</caption>
 *   <tr><th>Datum</th><th>Java</th></tr>
 *   <tr><td>null (SQL NULL)</td><td>{@code null}</td></tr>
 *   <tr><td>boolean, int, long, float, double, string</td>
 *       <td>{@code Boolean, Integer, Long, Float, Double, String}</td></tr>
 *   <tr><td>bytes</td><td>{@code byte[]}</td></tr>
 *   <tr><td>finite NumericValue</td><td>{@code BigDecimal}, scale kept ({@code 1.50} is not {@code 1.5})</td></tr>
 *   <tr><td>NumericValue NaN, ±Infinity</td><td>the {@code NumericValue}</td></tr>
 *   <tr><td>UuidValue</td><td>{@code java.util.UUID}</td></tr>
 *   <tr><td>ArrayValue of one dimension with lower bound 1, or empty</td>
 *       <td>unmodifiable {@code List<Object>} of the elements' Java values (NULL elements as {@code null})</td></tr>
 *   <tr><td>any other ArrayValue (several dimensions, other lower bounds)</td><td>the {@code ArrayValue}</td></tr>
 *   <tr><td>JsonValue, DateValue, TimeValue, TimeTzValue, TimestampValue, TimestampTzValue,
 *       IntervalValue, EnumValue, TextValue</td><td>the record</td></tr>
 * </table>
 *
 * <p>Natural types where the resolvers compute with them: counters sum numbers, {@code max}/{@code min}
 * compare them, {@code union} merges lists, {@code concat} joins strings. Date and time values stay
 * records rather than {@code java.time} types, because no {@code java.time} type holds them exactly:
 * date and timestamps have ±infinity, {@code time} allows 24:00:00, an interval's months, days and
 * microseconds do not convert into each other, and a {@code java.time} value a resolver returns may
 * carry nanoseconds PostgreSQL cannot store. The records compare field by field, which for date,
 * time, timestamp and timestamptz is PostgreSQL's order. Records are copied both ways, so a value
 * never shares a mutable Avro object with the Datum it came from.
 *
 * <p>Exact both ways: {@code toDatum(toJava(d, t), t)} equals {@code d} for every value of type
 * {@code t} (with NumericValues in the minimal form {@code PgTextCodec} writes), and
 * {@code toJava(toDatum(v, t), t)} equals {@code v} for every value {@code toJava} gives. An array's element type is not in the list, so
 * going back it comes from the column's type: from {@link PgType#element()}, or from a type name by
 * PostgreSQL's convention ({@code _int4} holds {@code int4}). Given the column's type name,
 * {@link #toJava(Datum, String)} keeps as an {@code ArrayValue} any array whose element type that
 * convention would not give back (a domain over an array), so that it still converts back exactly.
 */
public final class JavaValues {

    private static final Map<String, PgType> BUILTIN_BY_NAME = builtinTypesByName();

    private JavaValues() {
    }

    /** The Java value of {@code datum}, every plain array as a list (see the type's documentation). */
    public static Object toJava(Datum datum) {
        return toJava(datum, null);
    }

    /**
     * The Java value of {@code datum}, a value of a column of type {@code typeName}
     * ({@code pg_type.typname}, as {@code Column.type}; null if unknown).
     */
    public static Object toJava(Datum datum, String typeName) {
        Object value = datum.getValue();
        if (value instanceof ArrayValue array && isList(array, typeName)) {
            List<Object> elements = new ArrayList<>(array.getElements().size());
            array.getElements().forEach(element -> elements.add(toJava(element, null)));
            return Collections.unmodifiableList(elements);
        }
        if (value instanceof NumericValue numeric && numeric.getSpecial() == NumericSpecial.FINITE) {
            return NumericValues.toBigDecimal(numeric);
        }
        if (value instanceof UuidValue uuid) {
            ByteBuffer bytes = ByteBuffer.wrap(uuid.bytes());
            return new UUID(bytes.getLong(), bytes.getLong());
        }
        if (value instanceof ByteBuffer bytes) {
            return DatumCopies.bytes(bytes);
        }
        return DatumCopies.copy(value);
    }

    /**
     * The Datum of a Java value of a column of type {@code type}.
     *
     * @throws IllegalArgumentException if the value is not of the Java class the type maps to
     */
    public static Datum toDatum(Object value, PgType type) {
        if (value == null) {
            return new Datum(null);
        }
        PgType valueType = type.valueType();
        ValueKind kind = valueType.kind();
        Object avro = switch (kind) {
            case BOOL -> expect(value, Boolean.class, type);
            case INT2 -> int2(value, type);
            case INT4 -> expect(value, Integer.class, type);
            case INT8 -> expect(value, Long.class, type);
            case FLOAT4 -> expect(value, Float.class, type);
            case FLOAT8 -> expect(value, Double.class, type);
            case TEXT -> expect(value, String.class, type);
            case BYTEA -> ByteBuffer.wrap(expect(value, byte[].class, type).clone());
            case NUMERIC -> value instanceof BigDecimal decimal ? NumericValues.of(decimal)
                    : DatumCopies.copy(expect(value, NumericValue.class, type));
            case UUID -> value instanceof UUID uuid ? uuid(uuid)
                    : DatumCopies.copy(expect(value, UuidValue.class, type));
            case JSON, JSONB -> json(value, type, kind == ValueKind.JSONB);
            case DATE -> DatumCopies.copy(expect(value, DateValue.class, type));
            case TIME -> DatumCopies.copy(expect(value, TimeValue.class, type));
            case TIMETZ -> DatumCopies.copy(expect(value, TimeTzValue.class, type));
            case TIMESTAMP -> DatumCopies.copy(expect(value, TimestampValue.class, type));
            case TIMESTAMPTZ -> DatumCopies.copy(expect(value, TimestampTzValue.class, type));
            case INTERVAL -> DatumCopies.copy(expect(value, IntervalValue.class, type));
            case ENUM -> DatumCopies.copy(expect(value, EnumValue.class, type));
            case OTHER -> DatumCopies.copy(expect(value, TextValue.class, type));
            case ARRAY -> value instanceof List<?> list
                    ? array(list, valueType.element().name(), element -> toDatum(element, valueType.element()))
                    : DatumCopies.copy(expect(value, ArrayValue.class, type));
        };
        return new Datum(avro);
    }

    /**
     * The Datum of a Java value of a column whose type is named {@code typeName} ({@code pg_type.typname},
     * as {@code Column.type}). A built-in type checks the value's class as {@link #toDatum(Object, PgType)}
     * does; for any other type (enums, domains, extension types) or a null name, the value's class decides
     * the branch, and a list is an array of the type the name implies ({@code _mood} holds {@code mood}).
     *
     * @throws IllegalArgumentException if the value does not fit the type, is of no mapped class, or is a
     *     list for a type whose name does not tell the element type
     */
    public static Datum toDatum(Object value, String typeName) {
        PgType builtin = typeName == null ? null : BUILTIN_BY_NAME.get(typeName);
        if (builtin != null) {
            return toDatum(value, builtin);
        }
        if (value instanceof List<?> list) {
            String elementType = elementTypeOf(typeName);
            if (elementType == null) {
                throw new IllegalArgumentException("a list is an array, but type '" + typeName
                        + "' does not tell its element type (array type names are _element; pass the PgType)");
            }
            return new Datum(array(list, elementType, element -> toDatum(element, elementType)));
        }
        if (value instanceof BigDecimal decimal) {
            return new Datum(NumericValues.of(decimal));
        }
        if (value instanceof UUID uuid) {
            return new Datum(uuid(uuid));
        }
        if (value instanceof byte[] bytes) {
            return new Datum(ByteBuffer.wrap(bytes.clone()));
        }
        if (value == null || DatumCopies.isDatumValue(value)) {
            return new Datum(DatumCopies.copy(value));
        }
        throw new IllegalArgumentException("a " + value.getClass().getName() + " is not a column value"
                + (typeName == null ? "" : " of type " + typeName) + " (see JavaValues for the mapped classes)");
    }

    /**
     * The element type name an array column of type {@code typeName} has: the built-in array's
     * element, else PostgreSQL's convention {@code _element}; null when the name tells none.
     */
    static String elementTypeOf(String typeName) {
        if (typeName == null) {
            return null;
        }
        PgType builtin = BUILTIN_BY_NAME.get(typeName);
        if (builtin != null) {
            return builtin.kind() == ValueKind.ARRAY ? builtin.element().name() : null;
        }
        return typeName.length() > 1 && typeName.charAt(0) == '_' ? typeName.substring(1) : null;
    }

    /** Whether an array becomes a list: one that {@link #array} gives back exactly for this column type. */
    private static boolean isList(ArrayValue array, String typeName) {
        List<Integer> dims = array.getDimensions();
        int size = array.getElements().size();
        boolean plain = dims.isEmpty()
                ? array.getLowerBounds().isEmpty() && size == 0
                : dims.size() == 1 && dims.get(0) == size && size > 0 && array.getLowerBounds().equals(List.of(1));
        if (!plain || array.getElements().stream().anyMatch(element -> element.getValue() instanceof ArrayValue)) {
            return false;
        }
        return typeName == null || array.getElementType().equals(elementTypeOf(typeName));
    }

    /** A one-dimensional array with lower bound 1 (PostgreSQL's default), or the empty array. */
    private static ArrayValue array(List<?> list, String elementType, Function<Object, Datum> element) {
        List<Datum> elements = new ArrayList<>(list.size());
        list.forEach(value -> elements.add(element.apply(value)));
        List<Integer> shape = list.isEmpty() ? List.of() : List.of(list.size());
        List<Integer> lowerBounds = list.isEmpty() ? List.of() : List.of(1);
        return new ArrayValue(elementType, shape, lowerBounds, elements);
    }

    private static Integer int2(Object value, PgType type) {
        Integer v = expect(value, Integer.class, type);
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw new IllegalArgumentException(v + " is out of range for type " + type.name() + " (int2)");
        }
        return v;
    }

    private static JsonValue json(Object value, PgType type, boolean binary) {
        JsonValue json = expect(value, JsonValue.class, type);
        if (json.getBinary() != binary) {
            throw new IllegalArgumentException("a value of type " + type.name() + " must be a JsonValue with binary="
                    + binary + " (" + (binary ? "jsonb" : "json") + "), got binary=" + json.getBinary());
        }
        return (JsonValue) DatumCopies.copy(json);
    }

    private static UuidValue uuid(UUID uuid) {
        return new UuidValue(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }

    private static <T> T expect(Object value, Class<T> type, PgType pgType) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("a value of type " + pgType.name() + " must be a " + type.getSimpleName()
                    + ", got a " + value.getClass().getName());
        }
        return type.cast(value);
    }

    private static Map<String, PgType> builtinTypesByName() {
        Map<String, PgType> byName = new HashMap<>();
        // BuiltinTypes indexes by OID only; every built-in mapped type's OID is below 4000.
        for (int oid = 1; oid < 4000; oid++) {
            PgType type = BuiltinTypes.byOid(oid);
            if (type != null) {
                byName.put(type.name(), type);
            }
        }
        return Map.copyOf(byName);
    }
}
