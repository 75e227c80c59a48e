package io.concord.replicator.types;

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
import java.nio.charset.StandardCharsets;

/**
 * The codec between PostgreSQL's text representation of a value (what pgoutput sends in 't' tuple columns, and
 * what {@code ?::typname} reads back) and {@link Datum}, following the mapping in {@code Datum.avsc}.
 *
 * <p>Reading needs the type; writing does not, because every Datum branch has exactly one text form.
 * {@code encode(decode(t, s))} gives back {@code s} exactly for text PostgreSQL printed with the session
 * settings capture uses (DateStyle ISO, IntervalStyle postgres, extra_float_digits &gt; 0, bytea_output hex,
 * TimeZone UTC). Under another TimeZone a timestamptz is written in UTC instead, the same instant; under
 * bytea_output escape a bytea is written in hex, the same bytes.
 */
public final class PgTextCodec {

    private PgTextCodec() {
    }

    /** Reads one value from its text form; never SQL NULL (a NULL has no text form). */
    public static Datum decode(PgType type, CharSequence text) {
        try {
            return new Datum(value(type.valueType(), text));
        } catch (ValueSyntaxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValueSyntaxException(type.name(), text, e);
        }
    }

    /**
     * Reads one value from the UTF-8 bytes of its text form, e.g. straight from a pgoutput message. Types whose
     * text is plain ASCII are read without building a String.
     */
    public static Datum decode(PgType type, byte[] utf8, int offset, int length) {
        CharSequence text = type.valueType().kind().textual()
                ? new String(utf8, offset, length, StandardCharsets.UTF_8)
                : new AsciiText(utf8, offset, length);
        return decode(type, text);
    }

    /** The text form of a value, or null for SQL NULL (the null branch). */
    public static String encode(Datum datum) {
        Object value = datum.getValue();
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder(32);
        append(value, out);
        return out.toString();
    }

    private static Object value(PgType type, CharSequence text) {
        switch (type.kind()) {
            case BOOL:
                return bool(text);
            case INT2:
            case INT4:
                return Integer.parseInt(text, 0, text.length(), 10);
            case INT8:
                return Long.parseLong(text, 0, text.length(), 10);
            case FLOAT4:
                return FloatText.parseFloat(text);
            case FLOAT8:
                return FloatText.parseDouble(text);
            case NUMERIC:
                return NumericText.parse(text);
            case TEXT:
                return text.toString();
            case BYTEA:
                return ByteBuffer.wrap(ByteaText.parse(text));
            case UUID:
                return UuidText.parse(text);
            case JSON:
                return new JsonValue(text.toString(), false);
            case JSONB:
                return new JsonValue(text.toString(), true);
            case DATE:
                return new DateValue(DateTimeText.parseDate(text));
            case TIME:
                return new TimeValue(DateTimeText.parseTime(text));
            case TIMETZ:
                return DateTimeText.parseTimeTz(text);
            case TIMESTAMP:
                return new TimestampValue(DateTimeText.parseTimestamp(text, false));
            case TIMESTAMPTZ:
                return new TimestampTzValue(DateTimeText.parseTimestamp(text, true));
            case INTERVAL:
                return IntervalText.parse(text);
            case ENUM:
                return new EnumValue(type.name(), text.toString());
            case ARRAY:
                return ArrayText.parse(type, text.toString());
            case OTHER:
                return new TextValue(type.name(), text.toString());
            default:
                throw new IllegalStateException("unhandled kind " + type.kind());
        }
    }

    private static Boolean bool(CharSequence text) {
        if (TextCursor.is(text, "t")) {
            return Boolean.TRUE;
        }
        if (TextCursor.is(text, "f")) {
            return Boolean.FALSE;
        }
        throw new ValueSyntaxException("bool", text, "expected t or f");
    }

    // Ordered roughly by how often each branch occurs in rows.
    private static void append(Object value, StringBuilder out) {
        if (value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof TimestampTzValue v) {
            DateTimeText.formatTimestamp(v.getMicros(), true, out);
        } else if (value instanceof NumericValue v) {
            out.append(NumericText.format(v));
        } else if (value instanceof Boolean b) {
            out.append(b ? 't' : 'f');
        } else if (value instanceof Double d) {
            out.append(FloatText.format(d));
        } else if (value instanceof Float f) {
            out.append(FloatText.format(f));
        } else if (value instanceof TimestampValue v) {
            DateTimeText.formatTimestamp(v.getMicros(), false, out);
        } else if (value instanceof DateValue v) {
            DateTimeText.formatDate(v.getDays(), out);
        } else if (value instanceof UuidValue v) {
            UuidText.format(v, out);
        } else if (value instanceof JsonValue v) {
            out.append(v.getText());
        } else if (value instanceof EnumValue v) {
            out.append(v.getLabel());
        } else if (value instanceof ByteBuffer v) {
            ByteaText.format(v, out);
        } else if (value instanceof ArrayValue v) {
            ArrayText.format(v, out);
        } else if (value instanceof TextValue v) {
            out.append(v.getText());
        } else if (value instanceof TimeValue v) {
            DateTimeText.formatTime(v.getMicros(), out);
        } else if (value instanceof TimeTzValue v) {
            DateTimeText.formatTimeTz(v.getMicros(), v.getOffsetSeconds(), out);
        } else if (value instanceof IntervalValue v) {
            IntervalText.format(v, out);
        } else if (value instanceof CharSequence s) {
            out.append(s);
        } else {
            throw new IllegalArgumentException("not a Datum value: " + value.getClass().getName());
        }
    }
}
