package io.concord.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

class VersionVectorTest {

    private static final DcId A = DcId.of("a");
    private static final DcId B = DcId.of("b");

    @Example
    void comparesByHappensBefore() {
        VersionVector a1 = VersionVector.parse("a:1");
        VersionVector a1b1 = VersionVector.parse("a:1,b:1");
        VersionVector b1 = VersionVector.parse("b:1");
        assertThat(a1.compare(a1b1)).isEqualTo(Causality.BEFORE);
        assertThat(a1b1.compare(a1)).isEqualTo(Causality.AFTER);
        assertThat(a1.compare(b1)).isEqualTo(Causality.CONCURRENT);
        assertThat(a1b1.compare(VersionVector.parse("b:1,a:1"))).isEqualTo(Causality.EQUAL);
        assertThat(VersionVector.empty().compare(a1)).isEqualTo(Causality.BEFORE);
    }

    @Example
    void incrementsAndMergesPointwise() {
        VersionVector v = VersionVector.empty().increment(A).increment(A).increment(B);
        assertThat(v).hasToString("a:2,b:1");
        assertThat(v.merge(VersionVector.parse("b:4,c:1"))).hasToString("a:2,b:4,c:1");
        assertThat(v.hasSeen(A, 2)).isTrue();
        assertThat(v.hasSeen(A, 3)).isFalse();
        assertThat(v.get(DcId.of("z"))).isZero();
    }

    @Example
    void compactFormIsSortedAndRoundTrips() {
        VersionVector v = VersionVector.parse("c:7,a:3,b:1");
        assertThat(v).hasToString("a:3,b:1,c:7");
        assertThat(VersionVector.parse(v.toString())).isEqualTo(v);
        assertThat(VersionVector.parse("")).isEqualTo(VersionVector.empty());
        assertThat(VersionVector.empty()).hasToString("");
    }

    @Example
    void convertsToAndFromTheAvroMap() {
        VersionVector v = VersionVector.of(Map.of("b", 2L, "a", 5L));
        assertThat(v.toMap()).containsExactly(Map.entry("a", 5L), Map.entry("b", 2L));
        assertThat(VersionVector.of(v.toMap())).isEqualTo(v);
    }

    @Example
    void rejectsBadTextNamingThePart() {
        assertThatThrownBy(() -> VersionVector.parse("a:1,b")).hasMessageContaining("'b' is not a dc:counter pair");
        assertThatThrownBy(() -> VersionVector.parse("a:x")).hasMessageContaining("'a:x'");
        assertThatThrownBy(() -> VersionVector.parse("a:0")).hasMessageContaining("counter must be positive");
        assertThatThrownBy(() -> VersionVector.parse("a:1,a:2")).hasMessageContaining("DC 'a' appears twice");
        assertThatThrownBy(() -> VersionVector.parse("a b:1")).hasMessageContaining("bad DC id");
        assertThatThrownBy(() -> VersionVector.parse("a:1:2")).hasMessageContaining("e.g. a:3,b:1");
        assertThatThrownBy(() -> VersionVector.of(Map.of("a", -1L))).hasMessageContaining("must be positive");
    }

    @Property(tries = 300)
    void mergeIsASemilatticeJoin(@ForAll("vectors") VersionVector x, @ForAll("vectors") VersionVector y,
                                 @ForAll("vectors") VersionVector z) {
        assertThat(x.merge(y)).isEqualTo(y.merge(x));
        assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
        assertThat(x.merge(x)).isEqualTo(x);
        assertThat(x.compare(x.merge(y))).isIn(Causality.BEFORE, Causality.EQUAL);
    }

    @Property(tries = 300)
    void compareIsAntisymmetricAndMatchesMerge(@ForAll("vectors") VersionVector x, @ForAll("vectors") VersionVector y) {
        Causality c = x.compare(y);
        assertThat(y.compare(x)).isEqualTo(c.reversed());
        assertThat(c == Causality.BEFORE || c == Causality.EQUAL).isEqualTo(x.merge(y).equals(y));
        assertThat(VersionVector.parse(x.toString())).isEqualTo(x);
    }

    @Provide
    Arbitrary<VersionVector> vectors() {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), Arbitraries.longs().between(1, 4))
                .ofMaxSize(4)
                .map(m -> VersionVector.of(new TreeMap<>(m)));
    }
}
