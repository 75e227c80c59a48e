package io.concord.replicator.store;

import io.concord.event.ArrayValue;
import io.concord.event.DateValue;
import io.concord.event.Datum;
import io.concord.event.EnumValue;
import io.concord.event.IntervalValue;
import io.concord.event.JsonValue;
import io.concord.event.NumericValue;
import io.concord.event.TextValue;
import io.concord.event.TimeTzValue;
import io.concord.event.TimeValue;
import io.concord.event.TimestampTzValue;
import io.concord.event.TimestampValue;
import io.concord.event.UuidValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies of the values a {@link Datum} may hold. Avro's generated records are mutable; a row image
 * must not change because someone later changed the event it was read from, or the other way round.
 * Written out by hand because Avro's reflective deep copy needs its class allow-list set up first.
 */
final class DatumCopies {

    private DatumCopies() {
    }

    /** Whether {@code value} is one of the values a Datum's union holds (bytes aside). */
    static boolean isDatumValue(Object value) {
        return value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Float || value instanceof Double || value instanceof String
                || value instanceof NumericValue || value instanceof UuidValue || value instanceof JsonValue
                || value instanceof DateValue || value instanceof TimeValue || value instanceof TimeTzValue
                || value instanceof TimestampValue || value instanceof TimestampTzValue
                || value instanceof IntervalValue || value instanceof EnumValue || value instanceof ArrayValue
                || value instanceof TextValue;
    }

    /**
     * A copy of a Datum's value that shares nothing mutable with it: immutable values as they are,
     * records and bytes copied, Avro's {@code Utf8} as a String.
     *
     * @throws IllegalArgumentException if {@code value} is no Datum value
     */
    static Object copy(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Float || value instanceof Double || value instanceof String) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof ByteBuffer bytes) {
            return ByteBuffer.wrap(bytes(bytes));
        }
        if (value instanceof NumericValue v) {
            return new NumericValue(ByteBuffer.wrap(bytes(v.getUnscaled())), v.getScale(), v.getSpecial());
        }
        if (value instanceof UuidValue v) {
            return new UuidValue(v.bytes().clone());
        }
        if (value instanceof ArrayValue v) {
            List<Datum> elements = new ArrayList<>(v.getElements().size());
            v.getElements().forEach(element -> elements.add(new Datum(copy(element.getValue()))));
            return new ArrayValue(v.getElementType(), List.copyOf(v.getDimensions()), List.copyOf(v.getLowerBounds()),
                    elements);
        }
        return copyTemporalOrText(value);
    }

    private static Object copyTemporalOrText(Object value) {
        if (value instanceof TimestampTzValue v) {
            return new TimestampTzValue(v.getMicros());
        }
        if (value instanceof TimestampValue v) {
            return new TimestampValue(v.getMicros());
        }
        if (value instanceof DateValue v) {
            return new DateValue(v.getDays());
        }
        if (value instanceof TimeValue v) {
            return new TimeValue(v.getMicros());
        }
        if (value instanceof TimeTzValue v) {
            return new TimeTzValue(v.getMicros(), v.getOffsetSeconds());
        }
        if (value instanceof IntervalValue v) {
            return new IntervalValue(v.getMonths(), v.getDays(), v.getMicros());
        }
        if (value instanceof JsonValue v) {
            return new JsonValue(v.getText(), v.getBinary());
        }
        if (value instanceof EnumValue v) {
            return new EnumValue(v.getType(), v.getLabel());
        }
        if (value instanceof TextValue v) {
            return new TextValue(v.getType(), v.getText());
        }
        throw new IllegalArgumentException("not a Datum value: " + value.getClass().getName());
    }

    /** The remaining bytes of a buffer, without moving it. */
    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
