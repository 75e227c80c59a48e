package io.concord.resolver.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.resolver.ColumnEntry;
import io.concord.resolver.ColumnState;
import io.concord.version.ColumnStamp;
import io.concord.version.HybridTimestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MergeStrategyTest {

    private static ColumnState.Register concurrent(Object... values) {
        List<ColumnEntry> entries = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            entries.add(new ColumnEntry(new ColumnStamp(HybridTimestamp.of(100 - i, "dc" + i), 1), values[i]));
        }
        return new ColumnState.Register(entries);
    }

    @Test
    void aSingleValueIsReturnedAsItIsByEveryStrategy() {
        for (MergeStrategy strategy : MergeStrategy.values()) {
            assertThat(strategy.read(concurrent(List.of("b", "a")), ", ")).isEqualTo(List.of("b", "a"));
        }
    }

    @Test
    void lwwTakesTheLatestWrite() {
        assertThat(MergeStrategy.LWW.read(concurrent("first", "second"), ", ")).isEqualTo("first");
    }

    @Test
    void maxAndMinIgnoreNullsUnlessAllAreNull() {
        assertThat(MergeStrategy.MAX.read(concurrent(3L, null, 9L), ", ")).isEqualTo(9L);
        assertThat(MergeStrategy.MIN.read(concurrent(3L, null, 9L), ", ")).isEqualTo(3L);
        assertThat(MergeStrategy.MAX.read(concurrent(null, null), ", ")).isNull();
    }

    @Test
    void unionJoinsArraysAndSetsSortedWithoutDuplicates() {
        assertThat(MergeStrategy.UNION.read(concurrent(List.of("c", "a"), Set.of("b", "a"), null), ", "))
                .isEqualTo(List.of("a", "b", "c"));
        assertThat(MergeStrategy.UNION.read(concurrent(new Object[] {2L}, List.of(1L)), ", ")).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void concatJoinsDistinctValuesSortedWithTheSeparator() {
        assertThat(MergeStrategy.CONCAT.read(concurrent("ring bell", "call back", "ring bell", null), " | "))
                .isEqualTo("call back | ring bell");
        assertThat(MergeStrategy.CONCAT.read(concurrent(null, null), ", ")).isNull();
    }

    @Test
    void namesAreTheLowerCaseOptionValues() {
        assertThat(Arrays.stream(MergeStrategy.values()).map(MergeStrategy::optionValue))
                .containsExactly("lww", "counter", "max", "min", "union", "concat");
    }
}
