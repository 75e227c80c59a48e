package io.concord.replicator.types;

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
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random values of each mapped type, within PostgreSQL's ranges, biased towards edges (infinities, extremes,
 * zero, BC dates, empty and NULL elements). Seeded by the caller, so a failure reproduces.
 */
final class RandomDatums {

    /** 4714-11-24 BC, PostgreSQL's first date (Julian day 0). */
    static final long MIN_DAY = DateTimeText.daysFromCivil(-4713, 11, 24);
    /** 5874897-12-31, PostgreSQL's last date. */
    static final long MAX_DAY = DateTimeText.daysFromCivil(5874897, 12, 31);
    static final long MIN_TIMESTAMP = MIN_DAY * DateTimeText.MICROS_PER_DAY;
    /** The last timestamp a long of microseconds since 1970 holds (Long.MAX_VALUE is infinity). */
    static final long MAX_TIMESTAMP = Long.MAX_VALUE - 1;
    /** PostgreSQL's limit on a time zone offset: 15:59 (TZDISP_LIMIT). */
    static final int MAX_OFFSET = (15 * 60 + 59) * 60;

    static final PgType MOOD = PgType.scalar(16390, "mood", ValueKind.ENUM);
    static final List<String> MOOD_LABELS = List.of("sad", "ok", "happy", "très content", "with space");

    /** The scalar types arrays are made of in these tests (json and jsonb need valid documents, see text). */
    static final List<PgType> SCALARS = List.of(BuiltinTypes.BOOL, BuiltinTypes.INT2, BuiltinTypes.INT4,
            BuiltinTypes.INT8, BuiltinTypes.FLOAT4, BuiltinTypes.FLOAT8, BuiltinTypes.NUMERIC, BuiltinTypes.TEXT,
            BuiltinTypes.VARCHAR, BuiltinTypes.BYTEA, BuiltinTypes.UUID, BuiltinTypes.JSON, BuiltinTypes.DATE,
            BuiltinTypes.TIME, BuiltinTypes.TIMETZ, BuiltinTypes.TIMESTAMP, BuiltinTypes.TIMESTAMPTZ,
            BuiltinTypes.INTERVAL);

    private final Random random;

    RandomDatums(long seed) {
        this.random = new Random(seed);
    }

    Datum next(PgType type) {
        return new Datum(value(type.valueType()));
    }

    private Object value(PgType type) {
        switch (type.kind()) {
            case BOOL:
                return random.nextBoolean();
            case INT2:
                return pick(0, 1, -1, (int) Short.MIN_VALUE, (int) Short.MAX_VALUE, (int) (short) random.nextInt());
            case INT4:
                return pick(0, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt(), random.nextInt(1000));
            case INT8:
                return pick(0L, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong(), (long) random.nextInt());
            case FLOAT4:
                return pick(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE,
                        Float.MAX_VALUE, finiteFloat(), finiteFloat(), (float) random.nextInt(1000) / 8);
            case FLOAT8:
                return pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
                        Double.MAX_VALUE, 1e23, finiteDouble(), finiteDouble(), random.nextInt(100_000) / 100.0);
            case NUMERIC:
                return numeric();
            case TEXT:
                return text(random.nextInt(4) == 0 ? 0 : random.nextInt(20));
            case BYTEA:
                byte[] bytes = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(40)];
                random.nextBytes(bytes);
                return ByteBuffer.wrap(bytes);
            case UUID:
                byte[] uuid = new byte[16];
                random.nextBytes(uuid);
                return new UuidValue(uuid);
            case JSON:
                return new JsonValue("{\"k\":  [1, " + random.nextInt() + ", \"" + jsonSafeText() + "\"] }", false);
            case JSONB:
                return new JsonValue("{\"k\": [1, " + random.nextInt() + ", \"" + jsonSafeText() + "\"]}", true);
            case DATE:
                return new DateValue((int) pick(Integer.MAX_VALUE, Integer.MIN_VALUE, (int) MIN_DAY, (int) MAX_DAY,
                        0, (int) between(MIN_DAY, MAX_DAY), (int) between(-800_000, 30_000)));
            case TIME:
                return new TimeValue(pick(0L, DateTimeText.MICROS_PER_DAY, micros(DateTimeText.MICROS_PER_DAY)));
            case TIMETZ:
                return new TimeTzValue(micros(DateTimeText.MICROS_PER_DAY),
                        pick(0, 3600, -12600, 19815, -MAX_OFFSET, MAX_OFFSET, (int) between(-MAX_OFFSET, MAX_OFFSET)));
            case TIMESTAMP:
                return new TimestampValue(timestamp());
            case TIMESTAMPTZ:
                return new TimestampTzValue(timestamp());
            case INTERVAL:
                return interval();
            case ENUM:
                return new EnumValue(type.name(), MOOD_LABELS.get(random.nextInt(MOOD_LABELS.size())));
            case ARRAY:
                return array(type);
            default:
                return new TextValue(type.name(), text(10));
        }
    }

    /** A random array of a random scalar type, 0 to 3 dimensions, some lower bounds not 1, some NULLs. */
    PgType randomArrayType() {
        if (random.nextInt(8) == 0) {
            return PgType.array(16389, "_mood", MOOD);
        }
        return BuiltinTypes.arrayOf(SCALARS.get(random.nextInt(SCALARS.size())));
    }

    private ArrayValue array(PgType type) {
        int ndims = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(3);
        List<Integer> dims = new ArrayList<>();
        List<Integer> lower = new ArrayList<>();
        int total = ndims == 0 ? 0 : 1;
        boolean shifted = random.nextInt(4) == 0;
        for (int i = 0; i < ndims; i++) {
            int length = 1 + random.nextInt(3);
            dims.add(length);
            lower.add(shifted ? random.nextInt(11) - 5 : 1);
            total *= length;
        }
        List<Datum> elements = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            elements.add(random.nextInt(6) == 0 ? new Datum(null) : next(type.element()));
        }
        return new ArrayValue(type.element().name(), dims, lower, elements);
    }

    private NumericValue numeric() {
        int roll = random.nextInt(12);
        if (roll == 0) {
            return new NumericValue(ByteBuffer.allocate(0), 0, NumericSpecial.NAN);
        }
        if (roll == 1) {
            return new NumericValue(ByteBuffer.allocate(0), 0,
                    random.nextBoolean() ? NumericSpecial.POSITIVE_INFINITY : NumericSpecial.NEGATIVE_INFINITY);
        }
        BigInteger unscaled = new BigInteger(1 + random.nextInt(roll < 6 ? 60 : 200), random);
        if (random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        return new NumericValue(ByteBuffer.wrap(unscaled.toByteArray()), random.nextInt(roll < 6 ? 5 : 40),
                NumericSpecial.FINITE);
    }

    private IntervalValue interval() {
        switch (random.nextInt(6)) {
            case 0:
                return new IntervalValue(0, 0, 0L);
            case 1:
                return new IntervalValue(random.nextInt(), random.nextInt(), random.nextLong());
            case 2:
                return new IntervalValue(0, 0, random.nextLong() % 100_000_000_000L);
            default:
                return new IntervalValue(random.nextInt(50) - 25, random.nextInt(60) - 30,
                        (random.nextLong() % 200_000_000_000L) * pick(1L, 1000L, 1_000_000L) / 1000);
        }
    }

    private long timestamp() {
        return pick(Long.MAX_VALUE, Long.MIN_VALUE, MIN_TIMESTAMP, MAX_TIMESTAMP, 0L, -1L,
                between(MIN_TIMESTAMP, MAX_TIMESTAMP), between(-2_000_000_000_000_000L, 4_000_000_000_000_000L)
                        / 1000 * 1000, between(-70_000_000_000_000_000L, 10_000_000_000_000_000L));
    }

    private long micros(long bound) {
        long v = Math.floorMod(random.nextLong(), bound);
        return random.nextBoolean() ? v / 1_000_000 * 1_000_000 : v;
    }

    private float finiteFloat() {
        float f;
        do {
            f = Float.intBitsToFloat(random.nextInt());
        } while (Float.isNaN(f) || Float.isInfinite(f));
        return f;
    }

    private double finiteDouble() {
        double d;
        do {
            d = Double.longBitsToDouble(random.nextLong());
        } while (Double.isNaN(d) || Double.isInfinite(d));
        return d;
    }

    /** Text PostgreSQL accepts: any code point but NUL (and no lone surrogates), with the array specials. */
    String text(int length) {
        StringBuilder out = new StringBuilder();
        String specials = "{}\",\\ \t\nNULLnull";
        for (int i = 0; i < length; i++) {
            int roll = random.nextInt(10);
            if (roll < 4) {
                out.append(specials.charAt(random.nextInt(specials.length())));
            } else if (roll < 8) {
                out.append((char) ('a' + random.nextInt(26)));
            } else {
                int cp;
                do {
                    cp = 1 + random.nextInt(0x10FFFF);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private String jsonSafeText() {
        return text(8).replace("\\", "").replace("\"", "").replace("\t", "").replace("\n", "");
    }

    private long between(long min, long max) {
        long span = max - min + 1;
        if (span > 0) {
            return min + Math.floorMod(random.nextLong(), span);
        }
        // The span overflows a long: draw until the value falls inside.
        long v;
        do {
            v = random.nextLong();
        } while (v < min || v > max);
        return v;
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
