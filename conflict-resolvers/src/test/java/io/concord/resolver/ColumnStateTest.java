package io.concord.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.ColumnState.Counter;
import io.concord.resolver.ColumnState.Register;
import io.concord.version.ColumnStamp;
import io.concord.version.DcId;
import io.concord.version.HybridTimestamp;
import io.concord.version.VersionVector;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

class ColumnStateTest {

    private static final DcId A = DcId.of("a");
    private static final DcId B = DcId.of("b");

    private static ColumnStamp stamp(String dc, long counter, long hlc) {
        return new ColumnStamp(HybridTimestamp.of(hlc, dc), counter);
    }

    @Example
    void aRegisterDropsAValueTheOtherSideSawAndOverwrote() {
        Register old = Register.of(stamp("a", 1, 10), 5L);
        Register overwritten = Register.of(stamp("b", 1, 20), 7L);
        // b saw a's first write, then overwrote the column.
        Register joined = (Register) ColumnState.join(old, VersionVector.parse("a:1"), overwritten, VersionVector.parse("a:1,b:1"));
        assertThat(joined.entries()).extracting(ColumnEntry::value).containsExactly(7L);
    }

    @Example
    void aRegisterKeepsConcurrentValuesEvenWhenTheOlderWasWrittenLater() {
        Register fromA = Register.of(stamp("a", 2, 30), 5L);
        Register fromB = Register.of(stamp("b", 1, 20), 7L);
        Register joined = (Register) ColumnState.join(fromA, VersionVector.parse("a:2"), fromB, VersionVector.parse("a:1,b:1"));
        assertThat(joined.entries()).extracting(ColumnEntry::value).containsExactly(7L, 5L);
        assertThat(joined.latestEntry().value()).isEqualTo(5L);
    }

    @Example
    void aCounterAddsEachDeltaToItsDcAndReadsInTheBaseClass() {
        Counter counter = Counter.start(stamp("a", 1, 1), 10L)
                .update(A, stamp("a", 2, 2), 10L, 13L)
                .update(B, stamp("b", 1, 3), 13L, 11L);
        assertThat(counter.value()).isEqualTo(11L);
        assertThat(counter.increments()).containsEntry(A, BigDecimal.valueOf(3));
        assertThat(counter.decrements()).containsEntry(B, BigDecimal.valueOf(2));
    }

    @Example
    void aCounterResetKeepsTheContributionsCountedSoFar() {
        Counter counter = Counter.start(stamp("a", 1, 1), 10L).update(A, stamp("a", 2, 2), 10L, 15L);
        Counter reset = counter.reset(stamp("b", 1, 3), 100L);
        assertThat(reset.value()).isEqualTo(100L);
        assertThat(reset.contributions()).isEqualByComparingTo("5");
        Counter later = reset.update(B, stamp("b", 2, 4), 100L, 101L);
        // a's concurrent +5 made before the reset is not counted twice when the states join.
        assertThat(((Counter) ColumnState.join(counter, VersionVector.parse("a:2"), later, VersionVector.parse("a:2,b:2"))).value())
                .isEqualTo(101L);
    }

    @Example
    void aCounterRefusesTextAndKeepsNull() {
        assertThatThrownBy(() -> Counter.start(stamp("a", 1, 1), "ten")).hasMessageContaining("must hold numbers");
        assertThat(Counter.start(stamp("a", 1, 1), 1L).update(A, stamp("a", 2, 2), 1L, null).value()).isNull();
    }

    @Property(tries = 500)
    void counterJoinIsASemilattice(@ForAll("counters") Counter x, @ForAll("counters") Counter y, @ForAll("counters") Counter z) {
        VersionVector any = VersionVector.empty();
        assertThat(ColumnState.join(x, any, y, any)).isEqualTo(ColumnState.join(y, any, x, any));
        assertThat(ColumnState.join(ColumnState.join(x, any, y, any), any, z, any))
                .isEqualTo(ColumnState.join(x, any, ColumnState.join(y, any, z, any), any));
        assertThat(ColumnState.join(x, any, x, any)).isEqualTo(x);
    }

    @Provide
    Arbitrary<Counter> counters() {
        Arbitrary<Map<DcId, BigDecimal>> amounts = Arbitraries.maps(
                Arbitraries.of("a", "b", "c").map(DcId::of),
                Arbitraries.integers().between(1, 9).map(BigDecimal::valueOf)).ofMaxSize(3);
        // One write stamps one base value: equal stamps never carry different values.
        Arbitrary<ColumnEntry> base = Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.longs().between(1, 5))
                .as((dc, hlc) -> new ColumnEntry(stamp(dc, hlc, hlc), hlc * 10 + dc.length()));
        return Combinators.combine(base, amounts, amounts)
                .as((b, up, down) -> new Counter(b, new TreeMap<>(up), new TreeMap<>(down)));
    }
}
