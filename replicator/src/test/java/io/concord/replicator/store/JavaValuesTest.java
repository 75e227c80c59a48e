package io.concord.replicator.store;

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
import io.concord.replicator.types.BuiltinTypes;
import io.concord.replicator.types.PgType;
import io.concord.resolver.ColumnValues;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Datum to Java value and back, exact for random values of every type; the mapping, its checks and its copies. */
class JavaValuesTest {

    private static final int TRIES = 500;

    @TestFactory
    List<DynamicTest> everyTypeRoundTripsExactlyBothWays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PgType type : RandomValues.TYPES) {
            tests.add(DynamicTest.dynamicTest(type.name(), () -> {
                RandomValues random = new RandomValues(type.oid());
                for (int i = 0; i < TRIES; i++) {
                    Datum datum = random.next(type);

                    Object java = JavaValues.toJava(datum, type.name());

                    assertThat(JavaValues.toDatum(java, type.name())).as("%s %s by name", type, datum).isEqualTo(datum);
                    assertThat(JavaValues.toDatum(java, type)).as("%s %s by PgType", type, datum).isEqualTo(datum);
                    Object again = JavaValues.toJava(JavaValues.toDatum(java, type.name()), type.name());
                    assertThat(ColumnValues.same(again, java)).as("%s: %s then %s", type, java, again).isTrue();
                }
            }));
        }
        return tests;
    }

    @Test
    void mapsEveryBranchToItsJavaValue() {
        assertMaps("bool", true, Boolean.TRUE);
        assertMaps("int2", 7, 7);
        assertMaps("int4", -7, -7);
        assertMaps("int8", 9_000_000_000L, 9_000_000_000L);
        assertMaps("float4", 1.5f, 1.5f);
        assertMaps("float8", Double.NaN, Double.NaN);
        assertMaps("varchar", "text", "text");
        assertMaps("bytea", ByteBuffer.wrap(new byte[] {0, 1, -1}), new byte[] {0, 1, -1});
        assertMaps("numeric", numeric("-1.50"), new BigDecimal("-1.50"));
        NumericValue nan = new NumericValue(ByteBuffer.allocate(0), 0, NumericSpecial.NAN);
        assertMaps("numeric", nan, nan);
        UUID uuid = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertMaps("uuid", new UuidValue(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array()), uuid);
        assertMaps("_int4", new ArrayValue("int4", List.of(3), List.of(1),
                List.of(new Datum(1), new Datum(null), new Datum(3))), Arrays.asList(1, null, 3));
        assertMaps("_numeric", new ArrayValue("numeric", List.of(), List.of(), List.of()), List.of());
        for (Object record : List.of(new JsonValue("{\"a\": 1}", true), new DateValue(Integer.MAX_VALUE),
                new TimeValue(86_400_000_000L), new TimeTzValue(0L, -12_600), new TimestampValue(Long.MIN_VALUE),
                new TimestampTzValue(1L), new IntervalValue(1, 2, 3L), new EnumValue("mood", "ok"),
                new TextValue("inet", "10.0.0.1"))) {
            assertMaps(typeOf(record), record, record);
        }
        assertThat(JavaValues.toJava(new Datum(null), "int4")).isNull();
        assertThat(JavaValues.toDatum(null, "int4")).isEqualTo(new Datum(null));
    }

    @Test
    void onlyOneDimensionalArraysFromOneBecomeLists() {
        ArrayValue square = new ArrayValue("int4", List.of(1, 2), List.of(1, 1), List.of(new Datum(1), new Datum(2)));
        ArrayValue fromZero = new ArrayValue("int4", List.of(2), List.of(0), List.of(new Datum(1), new Datum(2)));

        assertThat(JavaValues.toJava(new Datum(square), "_int4")).isEqualTo(square);
        assertThat(JavaValues.toJava(new Datum(fromZero), "_int4")).isEqualTo(fromZero);
        assertThat(JavaValues.toDatum(JavaValues.toJava(new Datum(fromZero), "_int4"), "_int4").getValue())
                .isEqualTo(fromZero);
    }

    @Test
    void anArrayWhoseElementTypeTheColumnTypeDoesNotTellStaysARecord() {
        ArrayValue ints = new ArrayValue("int4", List.of(2), List.of(1), List.of(new Datum(1), new Datum(2)));

        assertThat(JavaValues.toJava(new Datum(ints), "int_list")).as("domain over int4[]").isEqualTo(ints);
        assertThat(JavaValues.toJava(new Datum(ints), "_int4")).isEqualTo(List.of(1, 2));
        assertThat(JavaValues.toJava(new Datum(ints))).as("no type: every plain array").isEqualTo(List.of(1, 2));
        assertThat(JavaValues.toDatum(List.of(1, 2), RandomValues.INT_LIST).getValue()).as("the PgType tells")
                .isEqualTo(ints);
        assertThatThrownBy(() -> JavaValues.toDatum(List.of(1, 2), "int_list"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'int_list' does not tell its element type");
    }

    @Test
    void numericKeepsItsScale() {
        Object java = JavaValues.toJava(new Datum(numeric("1.50")));

        assertThat(java).isEqualTo(new BigDecimal("1.50"));
        assertThat(ColumnValues.same(java, new BigDecimal("1.5"))).isFalse();
        assertThat(JavaValues.toDatum(new BigDecimal("1.50"), "numeric").getValue()).isEqualTo(numeric("1.50"));
        assertThat(JavaValues.toDatum(new BigDecimal("1E+3"), "numeric").getValue())
                .isEqualTo(new NumericValue(ByteBuffer.wrap(new byte[] {1}), -3, NumericSpecial.FINITE));
    }

    @Test
    void aValueOfTheWrongClassForItsTypeIsRefused() {
        assertThatThrownBy(() -> JavaValues.toDatum(5L, "int4"))
                .hasMessageContaining("a value of type int4 must be a Integer, got a java.lang.Long");
        assertThatThrownBy(() -> JavaValues.toDatum(40_000, "int2")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> JavaValues.toDatum(new JsonValue("{}", true), "json"))
                .hasMessageContaining("binary=false");
        assertThatThrownBy(() -> JavaValues.toDatum(Instant.EPOCH, "timestamptz"))
                .hasMessageContaining("must be a TimestampTzValue");
        assertThatThrownBy(() -> JavaValues.toDatum(List.of("x"), "_int4"))
                .hasMessageContaining("must be a Integer, got a java.lang.String");
        assertThatThrownBy(() -> JavaValues.toDatum(new Object(), "mood"))
                .hasMessageContaining("java.lang.Object is not a column value of type mood");
        assertThatThrownBy(() -> JavaValues.toDatum(ByteBuffer.allocate(1), (String) null))
                .hasMessageContaining("is not a column value");
    }

    @Test
    void typesItDoesNotKnowGoByTheValuesClass() {
        List<Object> moods = Arrays.asList(new EnumValue("mood", "ok"), null);

        assertThat(JavaValues.toDatum(moods, "_mood").getValue()).isEqualTo(new ArrayValue("mood", List.of(2),
                List.of(1), List.of(new Datum(new EnumValue("mood", "ok")), new Datum(null))));
        assertThat(JavaValues.toDatum(5L, "positive").getValue()).isEqualTo(5L);
        assertThat(JavaValues.toDatum(new TextValue("inet", "::1"), (String) null).getValue())
                .isEqualTo(new TextValue("inet", "::1"));
    }

    @Test
    void valuesShareNothingMutableWithTheirDatum() {
        DateValue date = new DateValue(5);
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {1, 2});
        Object javaDate = JavaValues.toJava(new Datum(date));
        Object javaBytes = JavaValues.toJava(new Datum(bytes));
        Datum back = JavaValues.toDatum(javaDate, "date");

        date.setDays(6);
        bytes.array()[0] = 9;
        ((DateValue) javaDate).setDays(7);

        assertThat(javaBytes).isEqualTo(new byte[] {1, 2});
        assertThat(bytes.position()).as("read without moving").isZero();
        assertThat(back.getValue()).isEqualTo(new DateValue(5));
    }

    private static void assertMaps(String type, Object avro, Object java) {
        Object converted = JavaValues.toJava(new Datum(avro), type);
        assertThat(ColumnValues.same(converted, java)).as("%s %s -> %s, got %s", type, avro, java, converted).isTrue();
        if (java instanceof List) {
            assertThat(converted).isInstanceOf(List.class);
        } else {
            assertThat(converted).isExactlyInstanceOf(java.getClass());
        }
        assertThat(JavaValues.toDatum(java, type)).as("%s %s back", type, java).isEqualTo(new Datum(avro));
    }

    private static String typeOf(Object record) {
        if (record instanceof JsonValue json) {
            return json.getBinary() ? "jsonb" : "json";
        }
        if (record instanceof EnumValue value) {
            return value.getType();
        }
        if (record instanceof TextValue value) {
            return value.getType();
        }
        String name = record.getClass().getSimpleName();
        return switch (name) {
            case "DateValue" -> "date";
            case "TimeValue" -> "time";
            case "TimeTzValue" -> "timetz";
            case "TimestampValue" -> "timestamp";
            case "TimestampTzValue" -> "timestamptz";
            case "IntervalValue" -> "interval";
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static NumericValue numeric(String text) {
        BigDecimal value = new BigDecimal(text);
        return new NumericValue(ByteBuffer.wrap(value.unscaledValue().toByteArray()), value.scale(),
                NumericSpecial.FINITE);
    }
}
