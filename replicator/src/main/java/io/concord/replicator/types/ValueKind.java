package io.concord.replicator.types;

/**
 * How the values of a PostgreSQL type are represented in a {@link io.concord.event.Datum}: one constant per
 * mapping of {@code Datum.avsc}.
 */
public enum ValueKind {
    /** bool -> boolean. */
    BOOL(false),
    /** int2 -> int. */
    INT2(false),
    /** int4 -> int. */
    INT4(false),
    /** int8 -> long. */
    INT8(false),
    /** float4 -> float. */
    FLOAT4(false),
    /** float8 -> double. */
    FLOAT8(false),
    /** numeric -> NumericValue. */
    NUMERIC(false),
    /** text, varchar, bpchar, name, "char" -> string. */
    TEXT(true),
    /** bytea -> bytes. */
    BYTEA(false),
    /** uuid -> UuidValue. */
    UUID(false),
    /** json -> JsonValue (binary false). */
    JSON(true),
    /** jsonb -> JsonValue (binary true). */
    JSONB(true),
    /** date -> DateValue. */
    DATE(false),
    /** time -> TimeValue. */
    TIME(false),
    /** timetz -> TimeTzValue. */
    TIMETZ(false),
    /** timestamp -> TimestampValue. */
    TIMESTAMP(false),
    /** timestamptz -> TimestampTzValue. */
    TIMESTAMPTZ(false),
    /** interval -> IntervalValue. */
    INTERVAL(false),
    /** A user-defined enum -> EnumValue. */
    ENUM(true),
    /** An array whose element type is mapped -> ArrayValue. */
    ARRAY(true),
    /** Everything else -> TextValue. */
    OTHER(true);

    private final boolean textual;

    ValueKind(boolean textual) {
        this.textual = textual;
    }

    /**
     * Whether PostgreSQL's text form of such a value may hold any character; when false it is plain ASCII, and
     * the codec reads it straight from the wire bytes without decoding UTF-8 into a String first.
     */
    public boolean textual() {
        return textual;
    }
}
