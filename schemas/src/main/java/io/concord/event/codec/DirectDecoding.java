package io.concord.event.codec;

import io.concord.event.ArrayValue;
import io.concord.event.Column;
import io.concord.event.ColumnState;
import io.concord.event.ColumnStateKind;
import io.concord.event.DateValue;
import io.concord.event.Datum;
import io.concord.event.EnumValue;
import io.concord.event.IntervalValue;
import io.concord.event.JsonValue;
import io.concord.event.NumericSpecial;
import io.concord.event.NumericValue;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.StampedValue;
import io.concord.event.TextValue;
import io.concord.event.TimeTzValue;
import io.concord.event.TimeValue;
import io.concord.event.TimestampTzValue;
import io.concord.event.TimestampValue;
import io.concord.event.UuidValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Reads the parts of Concord's records that come with every row — columns, values, versions, column states — from
 * Avro's binary encoding into the classes Avro's own decoder gives, field by field: the reading side of
 * {@link DirectEncoding}. Names (columns, types, DC ids, tables) come out of a {@link NamePool}. Every value branch
 * is read by hand; the tests hold each reader to Avro's decoder on random records taking every branch. Not
 * thread-safe: the pool is one per reader.
 */
final class DirectDecoding {

    // Datum.value's branches, in schema order: checked against the schema when the class loads.
    private static final List<String> DATUM_BRANCHES = List.of("null", "boolean", "int", "long", "float", "double",
            "string", "bytes", "NumericValue", "UuidValue", "JsonValue", "DateValue", "TimeValue", "TimeTzValue",
            "TimestampValue", "TimestampTzValue", "IntervalValue", "EnumValue", "ArrayValue", "TextValue");
    private static final int UUID_SIZE = UuidValue.getClassSchema().getFixedSize();

    private static final Operation[] OPERATIONS = Operation.values();
    private static final ColumnStateKind[] KINDS = ColumnStateKind.values();
    private static final NumericSpecial[] SPECIALS = NumericSpecial.values();

    static {
        List<String> branches = Datum.getClassSchema().getField("value").schema().getTypes().stream()
                .map(Schema::getName).toList();
        if (!branches.equals(DATUM_BRANCHES)) {
            throw new IllegalStateException("Datum.value's branches changed to " + branches
                    + ": DirectDecoding reads " + DATUM_BRANCHES);
        }
    }

    private final NamePool names = new NamePool();

    String name(AvroInput in) {
        return in.readName(names);
    }

    Operation operation(AvroInput in) {
        return OPERATIONS[in.readIndex(OPERATIONS.length, "Operation")];
    }

    /** Whether a {@code ["null", T]} union holds its T (branch 1). */
    static boolean present(AvroInput in, String field) {
        return in.readIndex(2, field) == 1;
    }

    /** An {@code array<Column>}. */
    List<Column> columns(AvroInput in) {
        List<Column> columns = new ArrayList<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                columns.add(new Column(in.readName(names), in.readName(names), datum(in)));
            }
        }
        return columns;
    }

    /** A {@code ["null", array<Column>]}. */
    List<Column> nullableColumns(AvroInput in, String field) {
        return present(in, field) ? columns(in) : null;
    }

    /** An {@code array<string>} of names. */
    List<String> names(AvroInput in) {
        List<String> list = new ArrayList<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                list.add(in.readName(names));
            }
        }
        return list;
    }

    /** A {@code ["null", array<string>]} of names. */
    List<String> nullableNames(AvroInput in, String field) {
        return present(in, field) ? names(in) : null;
    }

    /** A {@code map<string>} of names to names. */
    Map<String, String> nameMap(AvroInput in) {
        Map<String, String> map = new HashMap<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                map.put(in.readName(names), in.readName(names));
            }
        }
        return map;
    }

    /** A {@code RowVersion}. */
    RowVersion version(AvroInput in) {
        Map<String, Long> vector = new HashMap<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                vector.put(in.readName(names), in.readLong());
            }
        }
        return new RowVersion(vector, in.readLong(), in.readName(names));
    }

    Datum datum(AvroInput in) {
        return new Datum(value(in));
    }

    private Object value(AvroInput in) {
        return switch (in.readIndex(DATUM_BRANCHES.size(), "Datum.value")) {
            case 0 -> null;
            case 1 -> in.readBoolean();
            case 2 -> in.readInt();
            case 3 -> in.readLong();
            case 4 -> in.readFloat();
            case 5 -> in.readDouble();
            case 6 -> in.readString();
            case 7 -> in.readBytes();
            case 8 -> numeric(in);
            case 9 -> new UuidValue(in.readFixed(UUID_SIZE));
            case 10 -> new JsonValue(in.readString(), in.readBoolean());
            case 11 -> new DateValue(in.readInt());
            case 12 -> new TimeValue(in.readLong());
            case 13 -> new TimeTzValue(in.readLong(), in.readInt());
            case 14 -> new TimestampValue(in.readLong());
            case 15 -> new TimestampTzValue(in.readLong());
            case 16 -> new IntervalValue(in.readInt(), in.readInt(), in.readLong());
            case 17 -> new EnumValue(in.readName(names), in.readString());
            case 18 -> array(in);
            case 19 -> new TextValue(in.readName(names), in.readString());
            default -> throw new IllegalStateException("unreachable: readIndex checked the branch");
        };
    }

    private static NumericValue numeric(AvroInput in) {
        return new NumericValue(in.readBytes(), in.readInt(),
                SPECIALS[in.readIndex(SPECIALS.length, "NumericSpecial")]);
    }

    private ArrayValue array(AvroInput in) {
        String elementType = in.readName(names);
        List<Integer> dimensions = ints(in);
        List<Integer> lowerBounds = ints(in);
        List<Datum> elements = new ArrayList<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                elements.add(datum(in));
            }
        }
        return new ArrayValue(elementType, dimensions, lowerBounds, elements);
    }

    private static List<Integer> ints(AvroInput in) {
        List<Integer> ints = new ArrayList<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                ints.add(in.readInt());
            }
        }
        return ints;
    }

    /** A {@code ["null", array<ColumnState>]}. */
    List<ColumnState> nullableColumnStates(AvroInput in, String field) {
        if (!present(in, field)) {
            return null;
        }
        List<ColumnState> states = new ArrayList<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                String column = in.readName(names);
                ColumnStateKind kind = KINDS[in.readIndex(KINDS.length, "ColumnStateKind")];
                List<StampedValue> entries = new ArrayList<>();
                for (int n = in.readBlockCount(); n > 0; n = in.readBlockCount()) {
                    for (int j = 0; j < n; j++) {
                        entries.add(new StampedValue(datum(in), in.readLong(), in.readName(names), in.readLong()));
                    }
                }
                states.add(new ColumnState(column, kind, entries, numerics(in), numerics(in)));
            }
        }
        return states;
    }

    private Map<String, NumericValue> numerics(AvroInput in) {
        Map<String, NumericValue> map = new HashMap<>();
        for (int count = in.readBlockCount(); count > 0; count = in.readBlockCount()) {
            for (int i = 0; i < count; i++) {
                map.put(in.readName(names), numeric(in));
            }
        }
        return map;
    }
}
