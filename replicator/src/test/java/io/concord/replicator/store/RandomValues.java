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
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random Datums of every branch, shaped as {@code PgTextCodec} reads them from PostgreSQL (minimal
 * numerics, arrays of the column's element type), biased towards edges: NULL, infinities, NaN, 24:00,
 * extreme integers, empty and shifted arrays, NULL elements. Seeded by the caller, so failures reproduce.
 */
final class RandomValues {

    static final PgType MOOD = PgType.scalar(16390, "mood", ValueKind.ENUM);
    static final PgType MOODS = PgType.array(16389, "_mood", MOOD);
    static final PgType POSITIVE = PgType.domain(16400, "positive", BuiltinTypes.INT8);
    static final PgType INET = PgType.scalar(869, "inet", ValueKind.OTHER);
    /** A domain over an array: its name does not tell its element type. */
    static final PgType INT_LIST = PgType.domain(16401, "int_list", BuiltinTypes.arrayOf(BuiltinTypes.INT4));

    /** One type per Datum branch and then some: domains, enums, arrays of several element types. */
    static final List<PgType> TYPES = List.of(BuiltinTypes.BOOL, BuiltinTypes.INT2, BuiltinTypes.INT4,
            BuiltinTypes.INT8, BuiltinTypes.FLOAT4, BuiltinTypes.FLOAT8, BuiltinTypes.NUMERIC, BuiltinTypes.TEXT,
            BuiltinTypes.VARCHAR, BuiltinTypes.BPCHAR, BuiltinTypes.BYTEA, BuiltinTypes.UUID, BuiltinTypes.JSON,
            BuiltinTypes.JSONB, BuiltinTypes.DATE, BuiltinTypes.TIME, BuiltinTypes.TIMETZ, BuiltinTypes.TIMESTAMP,
            BuiltinTypes.TIMESTAMPTZ, BuiltinTypes.INTERVAL, MOOD, POSITIVE, INET,
            BuiltinTypes.arrayOf(BuiltinTypes.INT4), BuiltinTypes.arrayOf(BuiltinTypes.TEXT),
            BuiltinTypes.arrayOf(BuiltinTypes.NUMERIC), BuiltinTypes.arrayOf(BuiltinTypes.UUID),
            BuiltinTypes.arrayOf(BuiltinTypes.BYTEA), BuiltinTypes.arrayOf(BuiltinTypes.TIMESTAMPTZ), MOODS, INT_LIST);

    private final Random random;

    RandomValues(long seed) {
        this.random = new Random(seed);
    }

    /** A random value of {@code type}, SQL NULL now and then. */
    Datum next(PgType type) {
        return new Datum(random.nextInt(12) == 0 ? null : value(type.valueType()));
    }

    /** A random type from {@link #TYPES}. */
    PgType type() {
        return TYPES.get(random.nextInt(TYPES.size()));
    }

    private Object value(PgType type) {
        return switch (type.kind()) {
            case BOOL -> random.nextBoolean();
            case INT2 -> pick(0, -1, (int) Short.MIN_VALUE, (int) Short.MAX_VALUE, (int) (short) random.nextInt());
            case INT4 -> pick(0, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt(), random.nextInt(1000));
            case INT8 -> pick(0L, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong(), (long) random.nextInt(1000));
            case FLOAT4 -> pick(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE,
                    Float.intBitsToFloat(random.nextInt()), random.nextInt(1000) / 8f);
            case FLOAT8 -> pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e23,
                    Double.longBitsToDouble(random.nextLong()), random.nextInt(100_000) / 100.0);
            case NUMERIC -> numeric();
            case TEXT -> text();
            case BYTEA -> {
                byte[] bytes = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(40)];
                random.nextBytes(bytes);
                yield ByteBuffer.wrap(bytes);
            }
            case UUID -> {
                byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                yield new UuidValue(bytes);
            }
            case JSON -> new JsonValue("{\"k\":  [1, " + random.nextInt() + "] }", false);
            case JSONB -> new JsonValue("{\"k\": [1, " + random.nextInt() + "]}", true);
            case DATE -> new DateValue(pick(Integer.MAX_VALUE, Integer.MIN_VALUE, 0, -2_451_545, random.nextInt(100_000)));
            case TIME -> new TimeValue(pick(0L, 86_400_000_000L, Math.floorMod(random.nextLong(), 86_400_000_000L)));
            case TIMETZ -> new TimeTzValue(Math.floorMod(random.nextLong(), 86_400_000_000L),
                    pick(0, 3600, -12_600, 57_540, -57_540));
            case TIMESTAMP -> new TimestampValue(timestamp());
            case TIMESTAMPTZ -> new TimestampTzValue(timestamp());
            case INTERVAL -> new IntervalValue(random.nextInt(), random.nextInt(), random.nextLong());
            case ENUM -> new EnumValue(type.name(), pick("sad", "ok", "happy", "très content"));
            case ARRAY -> array(type);
            case OTHER -> new TextValue(type.name(), "192.168.0." + random.nextInt(256) + "/24");
        };
    }

    /** 0 to 2 dimensions, a quarter with lower bounds other than 1, NULL elements now and then. */
    private ArrayValue array(PgType type) {
        int ndims = pick(0, 1, 1, 1, 2);
        boolean shifted = random.nextInt(4) == 0;
        List<Integer> dims = new ArrayList<>();
        List<Integer> lower = new ArrayList<>();
        int total = ndims == 0 ? 0 : 1;
        for (int i = 0; i < ndims; i++) {
            int length = 1 + random.nextInt(4);
            dims.add(length);
            lower.add(shifted ? random.nextInt(7) - 3 : 1);
            total *= length;
        }
        List<Datum> elements = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            elements.add(random.nextInt(6) == 0 ? new Datum(null) : new Datum(value(type.element().valueType())));
        }
        return new ArrayValue(type.element().name(), dims, lower, elements);
    }

    private NumericValue numeric() {
        int roll = random.nextInt(10);
        if (roll == 0) {
            return new NumericValue(ByteBuffer.allocate(0), 0,
                    pick(NumericSpecial.NAN, NumericSpecial.POSITIVE_INFINITY, NumericSpecial.NEGATIVE_INFINITY));
        }
        BigInteger unscaled = new BigInteger(1 + random.nextInt(roll < 5 ? 60 : 200), random);
        if (random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        return new NumericValue(ByteBuffer.wrap(unscaled.toByteArray()), random.nextInt(roll < 5 ? 5 : 40),
                NumericSpecial.FINITE);
    }

    private long timestamp() {
        return pick(Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, random.nextLong() / 1000);
    }

    private String text() {
        String[] specials = {"{", "}", "\"", ",", "\\", " ", "\t", "\n", "/", "NULL", "\u0001", "é", "漢", "😀"};
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(4) == 0 ? 0 : random.nextInt(20);
        for (int i = 0; i < length; i++) {
            out.append(random.nextBoolean() ? String.valueOf((char) ('a' + random.nextInt(26)))
                    : specials[random.nextInt(specials.length)]);
        }
        return out.toString();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
