package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.ColumnStateKind;
import io.concord.event.StampedValue;
import io.concord.resolver.ColumnEntry;
import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnStates;
import io.concord.version.ColumnStamp;
import io.concord.version.DcId;
import io.concord.version.HybridTimestamp;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Per-column merge state to its Avro form and back: registers with several entries, counters, malformed input. */
class ColumnStatesCodecTest {

    private static final Map<String, String> TYPES = Map.of("qty", "int8", "price", "numeric", "tags", "_text",
            "note", "text");

    @Test
    void registersWithSeveralEntriesAndCountersRoundTrip() {
        ColumnStates states = ColumnStates.of(Map.of(
                "note", new ColumnState.Register(List.of(new ColumnEntry(stamp(10, "a", 1), "x"),
                        new ColumnEntry(stamp(11, "b", 4), null), new ColumnEntry(stamp(12, "c", 2), "z"))),
                "tags", new ColumnState.Register(List.of(new ColumnEntry(stamp(10, "a", 1), Arrays.asList("p", null)),
                        new ColumnEntry(stamp(13, "b", 5), List.of()))),
                "qty", new ColumnState.Counter(new ColumnEntry(stamp(9, "a", 1), 40L),
                        decimals("a", "3", "b", "12"), decimals("c", "7")),
                "price", new ColumnState.Counter(new ColumnEntry(stamp(9, "b", 2), new BigDecimal("10.50")),
                        decimals("b", "0.25"), new TreeMap<>())));

        List<io.concord.event.ColumnState> avro = ColumnStatesCodec.toAvro(states, TYPES);

        assertThat(avro).extracting(io.concord.event.ColumnState::getColumn)
                .containsExactly("note", "price", "qty", "tags");
        assertThat(avro.get(2).getKind()).isEqualTo(ColumnStateKind.COUNTER);
        assertThat(avro.get(2).getEntries()).hasSize(1);
        assertThat(avro.get(2).getIncrements()).containsOnlyKeys("a", "b");
        assertThat(ColumnStatesCodec.fromAvro(avro, TYPES)).isEqualTo(states);
    }

    @Test
    void aNullCounterBaseAndNoStateAtAllRoundTrip() {
        ColumnStates states = ColumnStates.of(Map.of("qty", new ColumnState.Counter(
                new ColumnEntry(stamp(9, "a", 1), null), decimals("a", "1"), new TreeMap<>())));

        assertThat(ColumnStatesCodec.fromAvro(ColumnStatesCodec.toAvro(states, TYPES), TYPES)).isEqualTo(states);
        assertThat(ColumnStatesCodec.toAvro(ColumnStates.empty(), TYPES)).isEmpty();
        assertThat(ColumnStatesCodec.fromAvro(null, TYPES)).isEqualTo(ColumnStates.empty());
    }

    @Test
    void withoutItsTypeAValueGoesByItsClassButAListCannot() {
        ColumnStates scalar = ColumnStates.of(Map.of("other", ColumnState.Register.of(stamp(1, "a", 1), 5L)));
        ColumnStates list = ColumnStates.of(Map.of("other", ColumnState.Register.of(stamp(1, "a", 1), List.of(1))));

        assertThat(ColumnStatesCodec.fromAvro(ColumnStatesCodec.toAvro(scalar, Map.of()), Map.of())).isEqualTo(scalar);
        assertThatThrownBy(() -> ColumnStatesCodec.toAvro(list, Map.of()))
                .hasMessageContaining("state of column 'other'")
                .hasMessageContaining("does not tell its element type");
    }

    @Test
    void aCounterWithoutExactlyOneEntryIsRefused() {
        io.concord.event.ColumnState twoBases = new io.concord.event.ColumnState("qty", ColumnStateKind.COUNTER,
                List.of(stamped(1L, 1), stamped(2L, 2)), Map.of(), Map.of());

        assertThatThrownBy(() -> ColumnStatesCodec.fromAvro(List.of(twoBases), TYPES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state of column 'qty': a COUNTER has exactly one entry, its base; got 2");
    }

    @Test
    void aColumnTwiceIsRefused() {
        io.concord.event.ColumnState register = new io.concord.event.ColumnState("qty", ColumnStateKind.REGISTER,
                List.of(stamped(1L, 1)), Map.of(), Map.of());

        assertThatThrownBy(() -> ColumnStatesCodec.fromAvro(List.of(register, register), TYPES))
                .hasMessageContaining("state of column 'qty': the column appears twice");
    }

    private static StampedValue stamped(long value, long counter) {
        return new StampedValue(new io.concord.event.Datum(value), 100L, "a", counter);
    }

    private static ColumnStamp stamp(long hlc, String dc, long counter) {
        return new ColumnStamp(HybridTimestamp.of(1_700_000_000_000_000L + hlc, dc), counter);
    }

    private static TreeMap<DcId, BigDecimal> decimals(String... dcAmounts) {
        TreeMap<DcId, BigDecimal> map = new TreeMap<>();
        for (int i = 0; i < dcAmounts.length; i += 2) {
            map.put(DcId.of(dcAmounts[i]), new BigDecimal(dcAmounts[i + 1]));
        }
        return map;
    }
}
