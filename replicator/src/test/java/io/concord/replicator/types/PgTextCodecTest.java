package io.concord.replicator.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Text forms printed by PostgreSQL 17, read into the expected Datum and written back to the same text. */
class PgTextCodecTest {

    private static final PgType MOOD = PgType.scalar(16390, "mood", ValueKind.ENUM);
    private static final PgType MOODS = PgType.array(16389, "_mood", MOOD);
    private static final PgType POSITIVE = PgType.domain(16400, "positive", BuiltinTypes.INT4);
    private static final PgType INET = PgType.scalar(869, "inet", ValueKind.OTHER);

    static List<Arguments> samples() {
        return List.of(
                sample(BuiltinTypes.BOOL, "t", true),
                sample(BuiltinTypes.BOOL, "f", false),
                sample(BuiltinTypes.INT2, "-32768", -32768),
                sample(BuiltinTypes.INT4, "2147483647", Integer.MAX_VALUE),
                sample(BuiltinTypes.INT8, "-9223372036854775808", Long.MIN_VALUE),
                sample(BuiltinTypes.FLOAT8, "1e+15", 1e15),
                sample(BuiltinTypes.FLOAT8, "100000000000000", 1e14),
                sample(BuiltinTypes.FLOAT8, "123456789012345.6", 123456789012345.6),
                sample(BuiltinTypes.FLOAT8, "1e-05", 1e-5),
                sample(BuiltinTypes.FLOAT8, "0.0001", 1e-4),
                sample(BuiltinTypes.FLOAT8, "1e+100", 1e100),
                sample(BuiltinTypes.FLOAT8, "0.1", 0.1),
                sample(BuiltinTypes.FLOAT8, "-0", -0.0),
                sample(BuiltinTypes.FLOAT8, "Infinity", Double.POSITIVE_INFINITY),
                sample(BuiltinTypes.FLOAT8, "-Infinity", Double.NEGATIVE_INFINITY),
                sample(BuiltinTypes.FLOAT8, "NaN", Double.NaN),
                sample(BuiltinTypes.FLOAT8, "1.5e-300", 1.5e-300),
                sample(BuiltinTypes.FLOAT8, "1e+22", 1e22),
                // 1e23 is not a double; "1e+23" lies exactly between two, and PostgreSQL does not print a boundary.
                sample(BuiltinTypes.FLOAT8, "9.999999999999999e+22", 1e23),
                sample(BuiltinTypes.FLOAT4, "1e+06", 1e6f),
                sample(BuiltinTypes.FLOAT4, "123456", 123456f),
                sample(BuiltinTypes.FLOAT4, "1.234567e+06", 1234567f),
                sample(BuiltinTypes.FLOAT4, "1e-05", 1e-5f),
                sample(BuiltinTypes.FLOAT4, "0.1", 0.1f),
                sample(BuiltinTypes.FLOAT4, "3.4028235e+38", Float.MAX_VALUE),
                sample(BuiltinTypes.FLOAT4, "1e-45", Float.MIN_VALUE),
                sample(BuiltinTypes.FLOAT4, "NaN", Float.NaN),
                sample(BuiltinTypes.NUMERIC, "1.50", numeric("150", 2)),
                sample(BuiltinTypes.NUMERIC, "0.00", numeric("0", 2)),
                sample(BuiltinTypes.NUMERIC, "100000000000000000000", numeric("100000000000000000000", 0)),
                sample(BuiltinTypes.NUMERIC, "-0.00000000000000000001", numeric("-1", 20)),
                sample(BuiltinTypes.NUMERIC, "-12345678901234567890123.4567890", numeric("-123456789012345678901234567890", 7)),
                sample(BuiltinTypes.NUMERIC, "NaN", special(NumericSpecial.NAN)),
                sample(BuiltinTypes.NUMERIC, "Infinity", special(NumericSpecial.POSITIVE_INFINITY)),
                sample(BuiltinTypes.NUMERIC, "-Infinity", special(NumericSpecial.NEGATIVE_INFINITY)),
                sample(BuiltinTypes.TEXT, "héllo, wörld ✓", "héllo, wörld ✓"),
                sample(BuiltinTypes.BPCHAR, "ab    ", "ab    "),
                sample(BuiltinTypes.CHAR, "\\200", "\\200"),
                sample(BuiltinTypes.TEXT, "", ""),
                sample(BuiltinTypes.BYTEA, "\\x0a0b", ByteBuffer.wrap(new byte[] {10, 11})),
                sample(BuiltinTypes.BYTEA, "\\x", ByteBuffer.wrap(new byte[0])),
                sample(BuiltinTypes.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                        uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
                sample(BuiltinTypes.JSON, "{\"a\": 1,  \"b\":2}", new JsonValue("{\"a\": 1,  \"b\":2}", false)),
                sample(BuiltinTypes.JSONB, "{\"a\": 1, \"b\": 2}", new JsonValue("{\"a\": 1, \"b\": 2}", true)),
                sample(BuiltinTypes.DATE, "2026-11-26", date(LocalDate.of(2026, 11, 26))),
                sample(BuiltinTypes.DATE, "1970-01-01", new DateValue(0)),
                sample(BuiltinTypes.DATE, "0044-03-15 BC", date(LocalDate.of(-43, 3, 15))),
                sample(BuiltinTypes.DATE, "4713-01-01 BC", date(LocalDate.of(-4712, 1, 1))),
                sample(BuiltinTypes.DATE, "10000-01-01", date(LocalDate.of(10000, 1, 1))),
                sample(BuiltinTypes.DATE, "5874897-12-31", date(LocalDate.of(5874897, 12, 31))),
                sample(BuiltinTypes.DATE, "infinity", new DateValue(Integer.MAX_VALUE)),
                sample(BuiltinTypes.DATE, "-infinity", new DateValue(Integer.MIN_VALUE)),
                sample(BuiltinTypes.TIME, "04:05:06.789", new TimeValue(14_706_789_000L)),
                sample(BuiltinTypes.TIME, "00:00:00", new TimeValue(0L)),
                sample(BuiltinTypes.TIME, "24:00:00", new TimeValue(86_400_000_000L)),
                sample(BuiltinTypes.TIME, "23:59:59.000001", new TimeValue(86_399_000_001L)),
                sample(BuiltinTypes.TIMETZ, "04:05:06.5+05:30:15", new TimeTzValue(14_706_500_000L, 19815)),
                sample(BuiltinTypes.TIMETZ, "04:05:06.5+02", new TimeTzValue(14_706_500_000L, 7200)),
                sample(BuiltinTypes.TIMETZ, "00:00:00-03:30", new TimeTzValue(0L, -12600)),
                sample(BuiltinTypes.TIMESTAMP, "0044-03-15 12:00:00.5 BC",
                        timestamp(LocalDateTime.of(-43, 3, 15, 12, 0, 0, 500_000_000))),
                sample(BuiltinTypes.TIMESTAMP, "294247-01-10 04:00:54.775806", new TimestampValue(Long.MAX_VALUE - 1)),
                sample(BuiltinTypes.TIMESTAMP, "4714-11-24 00:00:00 BC",
                        timestamp(LocalDateTime.of(-4713, 11, 24, 0, 0))),
                sample(BuiltinTypes.TIMESTAMP, "1969-12-31 23:59:59.999999", new TimestampValue(-1L)),
                sample(BuiltinTypes.TIMESTAMP, "infinity", new TimestampValue(Long.MAX_VALUE)),
                sample(BuiltinTypes.TIMESTAMPTZ, "0044-03-15 12:00:00+00 BC",
                        new TimestampTzValue(micros(LocalDateTime.of(-43, 3, 15, 12, 0)))),
                sample(BuiltinTypes.TIMESTAMPTZ, "2020-01-01 00:00:00.123456+00",
                        new TimestampTzValue(micros(LocalDateTime.of(2020, 1, 1, 0, 0, 0, 123_456_000)))),
                sample(BuiltinTypes.TIMESTAMPTZ, "-infinity", new TimestampTzValue(Long.MIN_VALUE)),
                sample(BuiltinTypes.INTERVAL, "1 year 2 mons -3 days +04:05:06.789",
                        new IntervalValue(14, -3, 14_706_789_000L)),
                sample(BuiltinTypes.INTERVAL, "-1 years -2 mons", new IntervalValue(-14, 0, 0L)),
                sample(BuiltinTypes.INTERVAL, "-00:00:01", new IntervalValue(0, 0, -1_000_000L)),
                sample(BuiltinTypes.INTERVAL, "00:00:00", new IntervalValue(0, 0, 0L)),
                sample(BuiltinTypes.INTERVAL, "1 day", new IntervalValue(0, 1, 0L)),
                sample(BuiltinTypes.INTERVAL, "-1 days -04:00:00", new IntervalValue(0, -1, -14_400_000_000L)),
                sample(BuiltinTypes.INTERVAL, "1000000:00:00", new IntervalValue(0, 0, 3_600_000_000_000_000L)),
                sample(BuiltinTypes.INTERVAL, "1 mon -01:00:00", new IntervalValue(1, 0, -3_600_000_000L)),
                sample(BuiltinTypes.INTERVAL, "3 days -00:00:01", new IntervalValue(0, 3, -1_000_000L)),
                sample(BuiltinTypes.INTERVAL, "1 year 1 mon 1 day 00:00:00.000001", new IntervalValue(13, 1, 1L)),
                sample(BuiltinTypes.INTERVAL, "infinity",
                        new IntervalValue(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE)),
                sample(BuiltinTypes.INTERVAL, "-infinity",
                        new IntervalValue(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE)),
                sample(MOOD, "happy", new EnumValue("mood", "happy")),
                sample(POSITIVE, "42", 42),
                sample(INET, "192.168.0.1/24", new TextValue("inet", "192.168.0.1/24")),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "{1,2}", array("int4", List.of(2), List.of(1), 1, 2)),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "[0:2]={1,2,3}",
                        array("int4", List.of(3), List.of(0), 1, 2, 3)),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "{{1,2},{3,4}}",
                        array("int4", List.of(2, 2), List.of(1, 1), 1, 2, 3, 4)),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "[2:3][0:0]={{1},{2}}",
                        array("int4", List.of(2, 1), List.of(2, 0), 1, 2)),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "{}", array("int4", List.of(), List.of())),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "{NULL,1}",
                        array("int4", List.of(2), List.of(1), null, 1)),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.TEXT), "{\"a b\",\"\",\"NULL\",\"x\\\"y\",\"a\\\\b\",NULL,\"{\",é}",
                        array("text", List.of(8), List.of(1), "a b", "", "NULL", "x\"y", "a\\b", null, "{", "é")),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.BYTEA), "{\"\\\\x01\",\"\\\\x\"}",
                        array("bytea", List.of(2), List.of(1), ByteBuffer.wrap(new byte[] {1}), ByteBuffer.allocate(0))),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.JSONB), "{\"{\\\"a\\\": 1}\"}",
                        array("jsonb", List.of(1), List.of(1), new JsonValue("{\"a\": 1}", true))),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.FLOAT4), "{1.5,NaN}",
                        array("float4", List.of(2), List.of(1), 1.5f, Float.NaN)),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.INTERVAL), "{\"1 day 01:00:00\"}",
                        array("interval", List.of(1), List.of(1), new IntervalValue(0, 1, 3_600_000_000L))),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.TIMETZ), "{04:05:06.5+02}",
                        array("timetz", List.of(1), List.of(1), new TimeTzValue(14_706_500_000L, 7200))),
                sample(BuiltinTypes.arrayOf(BuiltinTypes.TIMESTAMPTZ), "{\"2020-01-01 00:00:00+00\",NULL}",
                        array("timestamptz", List.of(2), List.of(1),
                                new TimestampTzValue(micros(LocalDateTime.of(2020, 1, 1, 0, 0))), null)),
                sample(MOODS, "{happy,sad,NULL}", array("mood", List.of(3), List.of(1),
                        new EnumValue("mood", "happy"), new EnumValue("mood", "sad"), null)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("samples")
    void readsPostgresTextAndWritesItBack(PgType type, String text, Datum expected) {
        Datum datum = PgTextCodec.decode(type, text);
        assertThat(datum).isEqualTo(expected);
        assertThat(PgTextCodec.encode(datum)).isEqualTo(text);
        byte[] utf8 = ("##" + text + "#").getBytes(StandardCharsets.UTF_8);
        assertThat(PgTextCodec.decode(type, utf8, 2, utf8.length - 3)).isEqualTo(expected);
    }

    @Test
    void readsOtherUtcOffsetsAsTheSameInstant() {
        // As a session with TimeZone Asia/Kolkata prints 1800-01-01 00:00:00+00 (local mean time, +05:53:28).
        Datum lmt = PgTextCodec.decode(BuiltinTypes.TIMESTAMPTZ, "1800-01-01 05:53:28+05:53:28");
        assertThat(PgTextCodec.encode(lmt)).isEqualTo("1800-01-01 00:00:00+00");
        Datum ist = PgTextCodec.decode(BuiltinTypes.TIMESTAMPTZ, "2020-01-01 05:30:00+05:30");
        assertThat(PgTextCodec.encode(ist)).isEqualTo("2020-01-01 00:00:00+00");
        Datum west = PgTextCodec.decode(BuiltinTypes.TIMESTAMPTZ, "2019-12-31 19:00:00-05");
        assertThat(PgTextCodec.encode(west)).isEqualTo("2020-01-01 00:00:00+00");
    }

    @Test
    void readsIntervalsWithoutExplicitPlus() {
        assertThat(PgTextCodec.decode(BuiltinTypes.INTERVAL, "1 year 2 mons -3 days 04:05:06.789"))
                .isEqualTo(new Datum(new IntervalValue(14, -3, 14_706_789_000L)));
    }

    @Test
    void readsByteaInEscapeFormat() {
        assertThat(PgTextCodec.decode(BuiltinTypes.BYTEA, "a\\\\b\\001"))
                .isEqualTo(new Datum(ByteBuffer.wrap(new byte[] {'a', '\\', 'b', 1})));
    }

    @Test
    void readsLenientArrayInput() {
        assertThat(PgTextCodec.decode(BuiltinTypes.arrayOf(BuiltinTypes.TEXT), " { a b , \"c\" ,null, d\\,e } "))
                .isEqualTo(array("text", List.of(4), List.of(1), "a b", "c", null, "d,e"));
    }

    @Test
    void domainKeepsBaseBranchAndArraysOfUnmappedTypesAreText() {
        PgType inetArray = PgType.array(1041, "_inet", INET);
        assertThat(inetArray.kind()).isEqualTo(ValueKind.OTHER);
        assertThat(PgTextCodec.decode(inetArray, "{10.0.0.1,::1}"))
                .isEqualTo(new Datum(new TextValue("_inet", "{10.0.0.1,::1}")));
        PgType moodDomain = PgType.domain(16500, "good_mood", MOOD);
        assertThat(PgTextCodec.decode(moodDomain, "happy")).isEqualTo(new Datum(new EnumValue("mood", "happy")));
    }

    @Test
    void extremeIntervalsDoNotOverflow() {
        Datum smallest = new Datum(new IntervalValue(Integer.MIN_VALUE + 1, Integer.MIN_VALUE, Long.MIN_VALUE));
        String text = PgTextCodec.encode(smallest);
        assertThat(text).isEqualTo("-178956970 years -7 mons -2147483648 days -2562047788:00:54.775808");
        assertThat(PgTextCodec.decode(BuiltinTypes.INTERVAL, text)).isEqualTo(smallest);
    }

    @Test
    void refusesToWriteAnArrayWhoseShapeDoesNotHoldItsElements() {
        Datum wrong = new Datum(new ArrayValue("int4", List.of(2, 2), List.of(1, 1), List.of(new Datum(1))));
        assertThatThrownBy(() -> PgTextCodec.encode(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 2]");
        Datum noBounds = new Datum(new ArrayValue("int4", List.of(1), List.of(), List.of(new Datum(1))));
        assertThat(PgTextCodec.encode(noBounds)).as("lower bounds default to 1").isEqualTo("{1}");
    }

    @Test
    void nullHasNoText() {
        assertThat(PgTextCodec.encode(new Datum(null))).isNull();
    }

    @Test
    void rejectsMalformedText() {
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.INT4, "12x"))
                .isInstanceOf(ValueSyntaxException.class).hasMessageContaining("int4").hasMessageContaining("12x");
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.BOOL, "true"))
                .isInstanceOf(ValueSyntaxException.class);
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.DATE, "2020-13-01"))
                .isInstanceOf(ValueSyntaxException.class);
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.TIMESTAMPTZ, "2020-01-01 00:00:00"))
                .isInstanceOf(ValueSyntaxException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "{{1,2},{3}}"))
                .isInstanceOf(ValueSyntaxException.class).hasMessageContaining("different lengths");
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "[1:3]={1,2}"))
                .isInstanceOf(ValueSyntaxException.class);
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.INTERVAL, "P1Y2M"))
                .isInstanceOf(ValueSyntaxException.class);
        // PostgreSQL's last timestamp, beyond a long of microseconds since 1970.
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.TIMESTAMP, "294276-12-31 23:59:59.999999"))
                .isInstanceOf(ValueSyntaxException.class).hasMessageContaining("range");
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.arrayOf(BuiltinTypes.INT4), "{{{{{{{1}}}}}}}"))
                .isInstanceOf(ValueSyntaxException.class).hasMessageContaining("dimensions");
        assertThatThrownBy(() -> PgTextCodec.decode(BuiltinTypes.UUID, "a0eebc99"))
                .isInstanceOf(ValueSyntaxException.class);
    }

    static Arguments sample(PgType type, String text, Object value) {
        return Arguments.of(type, text, value instanceof Datum d ? d : new Datum(value));
    }

    static NumericValue numeric(String unscaled, int scale) {
        return new NumericValue(ByteBuffer.wrap(new BigInteger(unscaled).toByteArray()), scale, NumericSpecial.FINITE);
    }

    static NumericValue special(NumericSpecial special) {
        return new NumericValue(ByteBuffer.allocate(0), 0, special);
    }

    static UuidValue uuid(String text) {
        java.util.UUID u = java.util.UUID.fromString(text);
        return new UuidValue(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }

    static DateValue date(LocalDate date) {
        return new DateValue(Math.toIntExact(date.toEpochDay()));
    }

    static TimestampValue timestamp(LocalDateTime t) {
        return new TimestampValue(micros(t));
    }

    static long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }

    static Datum array(String elementType, List<Integer> dims, List<Integer> lowerBounds, Object... elements) {
        List<Datum> datums = Arrays.stream(elements).map(e -> new Datum(e)).toList();
        return new Datum(new ArrayValue(elementType, dims, lowerBounds, datums));
    }
}
