package io.concord.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RowVersionTest {

    private static final DcId A = DcId.of("a");
    private static final DcId B = DcId.of("b");
    private static final long FIVE_MINUTES = 300_000_000L;

    @Test
    void aLocalWriteCountsItselfAndTakesTheLaterOfCommitTimeAndHlcPlusOne() {
        RowVersion first = RowVersion.first(A, 1_000);
        assertThat(first).hasToString("a:1@1000/a");
        assertThat(first.next(A, 5_000)).hasToString("a:2@5000/a");
        assertThat(first.next(B, 10)).hasToString("a:1,b:1@1001/b");
    }

    @Test
    void aSuccessorOnAClockMinutesBehindStillHasTheLargerHlc() {
        RowVersion seen = RowVersion.first(A, 10 * FIVE_MINUTES);
        RowVersion successor = seen.next(B, 10 * FIVE_MINUTES - FIVE_MINUTES);
        assertThat(successor.compare(seen)).isEqualTo(Causality.AFTER);
        assertThat(successor.timestamp()).isGreaterThan(seen.timestamp());
    }

    @Test
    void mergeDominatesBothAndIsOrderIndependent() {
        RowVersion x = RowVersion.parse("a:2@900/a");
        RowVersion y = RowVersion.parse("a:1,b:3@800/b");
        RowVersion merged = x.merge(y);
        assertThat(merged).hasToString("a:2,b:3@900/a").isEqualTo(y.merge(x));
        assertThat(x.compare(merged)).isEqualTo(Causality.BEFORE);
        assertThat(y.compare(merged)).isEqualTo(Causality.BEFORE);
    }

    @Test
    void textAndAvroFormsRoundTrip() {
        RowVersion v = RowVersion.of(Map.of("a", 3L, "b", 1L), 1_700_000_000_000_000L, "a");
        assertThat(v).hasToString("a:3,b:1@1700000000000000/a");
        assertThat(RowVersion.parse(v.toString())).isEqualTo(v);
        assertThat(v.hlc()).isEqualTo(1_700_000_000_000_000L);
        assertThat(v.dc()).isEqualTo(A);
    }

    @Test
    void rejectsAWriterTheVectorDoesNotCount() {
        assertThatThrownBy(() -> RowVersion.parse("a:1@5/b")).hasMessageContaining("names writer 'b'");
        assertThatThrownBy(() -> RowVersion.parse("a:1")).hasMessageContaining("expected vector@hlc/dc");
        assertThatThrownBy(() -> RowVersion.parse("a:1@x/a")).hasMessageContaining("bad hybrid timestamp 'x/a'");
    }

    @Test
    void timestampsOrderByHlcThenDc() {
        assertThat(HybridTimestamp.of(5, "b")).isGreaterThan(HybridTimestamp.of(5, "a")).isLessThan(HybridTimestamp.of(6, "a"));
        assertThat(HybridTimestamp.parse("5/b")).isEqualTo(HybridTimestamp.of(5, "b"));
    }

    @Test
    void aColumnStampNamesItsWriteSoOthersCanTellWhetherTheySawIt() {
        RowVersion v = RowVersion.parse("a:2,b:4@77/b");
        ColumnStamp stamp = ColumnStamp.of(v);
        assertThat(stamp).hasToString("77/b#4");
        assertThat(stamp.seenBy(VersionVector.parse("b:4"))).isTrue();
        assertThat(stamp.seenBy(VersionVector.parse("a:9,b:3"))).isFalse();
    }
}
