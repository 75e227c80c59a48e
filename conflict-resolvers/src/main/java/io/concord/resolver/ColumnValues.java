package io.concord.resolver;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How Concord copies, compares, orders and prints column values, whatever their Java type.
 *
 * <p>Column values are ordinary Java objects ({@code Long}, {@code BigDecimal}, {@code String},
 * {@code byte[]}, {@code List} for arrays, ...). Arrays do not compare by content in Java, and the
 * merge strategies and conflict ids need one total, deterministic order across all DCs; both live
 * here so that every resolver agrees on them.
 */
public final class ColumnValues {

    private static final HexFormat HEX = HexFormat.of();

    private ColumnValues() {
    }

    /**
     * An immutable copy of {@code value}: byte and object arrays are cloned, lists, sets and maps are
     * copied into unmodifiable collections (null elements allowed, as SQL arrays have them).
     */
    public static Object freeze(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof Object[] array) {
            Object[] copy = new Object[array.length];
            for (int i = 0; i < array.length; i++) {
                copy[i] = freeze(array[i]);
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(freeze(element)));
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(element -> copy.add(freeze(element)));
            return Collections.unmodifiableSet(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        return value;
    }

    /** Hands out a frozen value: arrays are cloned again so the caller cannot change ours. */
    static Object expose(Object frozen) {
        if (frozen instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (frozen instanceof Object[] array) {
            return array.clone();
        }
        return frozen;
    }

    /** Equality by content: arrays element by element, recursively. */
    public static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof Object[] x && b instanceof Object[] y) {
            return sameElements(Arrays.asList(x), Arrays.asList(y));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            return sameElements(x, y);
        }
        return a.equals(b);
    }

    private static boolean sameElements(List<?> x, List<?> y) {
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!same(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A hash code consistent with {@link #same}. */
    public static int hash(Object value) {
        if (value instanceof byte[] bytes) {
            return Arrays.hashCode(bytes);
        }
        if (value instanceof Object[] array) {
            return hash(Arrays.asList(array));
        }
        if (value instanceof List<?> list) {
            int h = 1;
            for (Object element : list) {
                h = 31 * h + hash(element);
            }
            return h;
        }
        return Objects.hashCode(value);
    }

    /**
     * A total order over column values, the same in every DC: NULL first, then booleans, numbers (by
     * numeric value, whatever their class), text, byte strings, arrays (element by element), then
     * anything else. Values that are equal in value but not {@link #same} (1 and 1L, 1.0 and 1.00) are
     * still ordered, by class name and then text, so sorting never depends on input order.
     */
    public static int compare(Object a, Object b) {
        if (same(a, b)) {
            return 0;
        }
        int byKind = Integer.compare(kind(a), kind(b));
        if (byKind != 0) {
            return byKind;
        }
        int byValue = switch (kind(a)) {
            case 1 -> Boolean.compare((Boolean) a, (Boolean) b);
            case 2 -> compareNumbers((Number) a, (Number) b);
            case 3 -> a.toString().compareTo(b.toString());
            case 4 -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            case 5 -> compareLists(asList(a), asList(b));
            default -> compareOther(a, b);
        };
        if (byValue != 0) {
            return byValue;
        }
        int byClass = a.getClass().getName().compareTo(b.getClass().getName());
        return byClass != 0 ? byClass : canonical(a).compareTo(canonical(b));
    }

    private static int kind(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Boolean) {
            return 1;
        }
        if (value instanceof Number) {
            return 2;
        }
        if (value instanceof CharSequence) {
            return 3;
        }
        if (value instanceof byte[]) {
            return 4;
        }
        if (value instanceof List<?> || value instanceof Object[]) {
            return 5;
        }
        return 6;
    }

    private static List<?> asList(Object value) {
        return value instanceof Object[] array ? Arrays.asList(array) : (List<?>) value;
    }

    private static int compareNumbers(Number a, Number b) {
        if (!isFinite(a) || !isFinite(b)) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
    }

    /** A finite number as an exact decimal; floating point through its shortest decimal form. */
    static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static int compareLists(List<?> a, List<?> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int byElement = compare(a.get(i), b.get(i));
            if (byElement != 0) {
                return byElement;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareOther(Object a, Object b) {
        if (a.getClass() == b.getClass() && a instanceof Comparable comparable) {
            return comparable.compareTo(b);
        }
        return 0;
    }

    /**
     * An unambiguous text form of a value, tagged with its type, stable across JVMs: used to derive
     * conflict ids and as the last tiebreak of {@link #compare}.
     */
    public static String canonical(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return "b:" + b;
        }
        if (value instanceof Number n) {
            return "n:" + n.getClass().getSimpleName() + ":" + n;
        }
        if (value instanceof CharSequence s) {
            return "s:" + s.length() + ":" + s;
        }
        if (value instanceof byte[] bytes) {
            return "x:" + HEX.formatHex(bytes);
        }
        if (value instanceof List<?> || value instanceof Object[]) {
            return asList(value).stream().map(ColumnValues::canonical)
                    .collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Set<?> set) {
            TreeSet<String> elements = new TreeSet<>();
            set.forEach(element -> elements.add(canonical(element)));
            return "{" + String.join(",", elements) + "}";
        }
        if (value instanceof Map<?, ?> map) {
            TreeSet<String> entries = new TreeSet<>();
            map.forEach((k, v) -> entries.add(canonical(k) + "=" + canonical(v)));
            return "m{" + String.join(",", entries) + "}";
        }
        return "o:" + value.getClass().getName() + ":" + value;
    }
}
