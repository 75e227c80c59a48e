package io.concord.replicator.store;

import io.concord.event.ColumnStateKind;
import io.concord.event.NumericValue;
import io.concord.event.StampedValue;
import io.concord.resolver.ColumnEntry;
import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnStates;
import io.concord.version.ColumnStamp;
import io.concord.version.DcId;
import io.concord.version.HybridTimestamp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-column merge state between the resolvers' {@link ColumnStates} and the Avro
 * {@code array<ColumnState>} that events and stored states carry.
 *
 * <p>A {@link ColumnState.Register} becomes kind {@code REGISTER} with one {@code StampedValue} per kept
 * entry; a {@link ColumnState.Counter} becomes kind {@code COUNTER} with exactly one entry, its base,
 * and its increments and decrements as DC id → NumericValue. Values convert through
 * {@link JavaValues} with the column's type where {@code types} knows it: it checks the value and names
 * an array's element type; without it the value's own class decides, which is exact for everything
 * but a list.
 */
public final class ColumnStatesCodec {

    private ColumnStatesCodec() {
    }

    /** The Avro form, in column-name order; empty for no state. */
    public static List<io.concord.event.ColumnState> toAvro(ColumnStates states, Map<String, String> types) {
        List<io.concord.event.ColumnState> records = new ArrayList<>(states.columns().size());
        states.columns().forEach((column, state) -> {
            String type = types.get(column);
            try {
                records.add(toAvro(column, state, type));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("state of column '" + column + "': " + e.getMessage(), e);
            }
        });
        return records;
    }

    private static io.concord.event.ColumnState toAvro(String column, ColumnState state, String type) {
        if (state instanceof ColumnState.Counter counter) {
            return new io.concord.event.ColumnState(column, ColumnStateKind.COUNTER,
                    List.of(stamped(counter.base(), type)), numerics(counter.increments()),
                    numerics(counter.decrements()));
        }
        List<StampedValue> entries = new ArrayList<>();
        ((ColumnState.Register) state).entries().forEach(entry -> entries.add(stamped(entry, type)));
        return new io.concord.event.ColumnState(column, ColumnStateKind.REGISTER, entries, new TreeMap<>(),
                new TreeMap<>());
    }

    /**
     * The states an Avro list holds; {@code null} (no state kept) is the empty state.
     *
     * @throws IllegalArgumentException if a state is malformed: a column twice, a counter without exactly
     *     one entry, a register without entries, a contribution that is not positive, a bad stamp
     */
    public static ColumnStates fromAvro(List<io.concord.event.ColumnState> records, Map<String, String> types) {
        if (records == null || records.isEmpty()) {
            return ColumnStates.empty();
        }
        TreeMap<String, ColumnState> states = new TreeMap<>();
        for (io.concord.event.ColumnState record : records) {
            String column = record.getColumn();
            try {
                ColumnState state = fromAvro(record, types.get(column));
                if (states.put(column, state) != null) {
                    throw new IllegalArgumentException("the column appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("state of column '" + column + "': " + e.getMessage(), e);
            }
        }
        return new ColumnStates(states);
    }

    private static ColumnState fromAvro(io.concord.event.ColumnState record, String type) {
        List<ColumnEntry> entries = new ArrayList<>(record.getEntries().size());
        record.getEntries().forEach(stamped -> entries.add(entry(stamped, type)));
        if (record.getKind() == ColumnStateKind.REGISTER) {
            return new ColumnState.Register(entries);
        }
        if (entries.size() != 1) {
            throw new IllegalArgumentException("a COUNTER has exactly one entry, its base; got " + entries.size());
        }
        return new ColumnState.Counter(entries.get(0), decimals(record.getIncrements()),
                decimals(record.getDecrements()));
    }

    private static StampedValue stamped(ColumnEntry entry, String type) {
        ColumnStamp stamp = entry.stamp();
        return new StampedValue(JavaValues.toDatum(entry.value(), type), stamp.timestamp().hlc(), stamp.dc().value(),
                stamp.counter());
    }

    private static ColumnEntry entry(StampedValue stamped, String type) {
        ColumnStamp stamp = new ColumnStamp(HybridTimestamp.of(stamped.getHlc(), stamped.getDc()), stamped.getCounter());
        return new ColumnEntry(stamp, JavaValues.toJava(stamped.getValue(), type));
    }

    private static Map<String, NumericValue> numerics(SortedMap<DcId, BigDecimal> amounts) {
        Map<String, NumericValue> map = new TreeMap<>();
        amounts.forEach((dc, amount) -> map.put(dc.value(), NumericValues.of(amount)));
        return map;
    }

    private static SortedMap<DcId, BigDecimal> decimals(Map<String, NumericValue> amounts) {
        TreeMap<DcId, BigDecimal> map = new TreeMap<>();
        amounts.forEach((dc, amount) -> map.put(DcId.of(dc), NumericValues.toBigDecimal(amount)));
        return map;
    }
}
