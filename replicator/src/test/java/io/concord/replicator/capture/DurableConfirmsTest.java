package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A slot position is released only once the flushed WAL covers every commit before it, in order. */
class DurableConfirmsTest {

    private static Lsn lsn(long value) {
        return Lsn.of(value);
    }

    @Test
    void aCaptureThatStartsWaitsForEverythingCommittedBeforeIt() {
        DurableConfirms confirms = DurableConfirms.afterEarlierCommits();
        assertThat(confirms.waiting()).isTrue();
        assertThat(confirms.nothingCommitted(lsn(100))).as("a previous capture's last commit may be unflushed")
                .isNull();
        assertThat(confirms.observed(lsn(500), lsn(499))).isNull();
        assertThat(confirms.observed(lsn(600), lsn(500))).isEqualTo(lsn(100));
        assertThat(confirms.waiting()).isFalse();
        assertThat(confirms.nothingCommitted(lsn(200))).as("nothing waits: at once").isEqualTo(lsn(200));
    }

    @Test
    void aCommitIsReleasedByAFlushThatReachesTheInsertPositionReadAfterIt() {
        DurableConfirms confirms = new DurableConfirms();
        confirms.committed(lsn(1_000));
        assertThat(confirms.observed(lsn(2_000), lsn(1_500))).as("flushed short of the bound").isNull();
        confirms.committed(lsn(3_000));
        assertThat(confirms.observed(lsn(4_000), lsn(2_000))).as("the first is covered, the second not yet")
                .isEqualTo(lsn(1_000));
        assertThat(confirms.waiting()).isTrue();
        assertThat(confirms.observed(lsn(4_100), lsn(3_999))).isNull();
        assertThat(confirms.observed(lsn(4_200), lsn(4_000))).isEqualTo(lsn(3_000));
        assertThat(confirms.waiting()).isFalse();
    }

    @Test
    void aBoundIsTheFirstInsertPositionReadAfterTheCommitNotALaterOne() {
        DurableConfirms confirms = new DurableConfirms();
        confirms.committed(lsn(10));
        assertThat(confirms.observed(lsn(100), lsn(50))).isNull();
        assertThat(confirms.observed(lsn(900), lsn(100))).as("bound 100, read first").isEqualTo(lsn(10));
    }

    @Test
    void batchesThatCommitNothingWaitBehindTheOnesBeforeThemAndMayBeReleasedTogether() {
        DurableConfirms confirms = new DurableConfirms();
        confirms.committed(lsn(1_000));
        assertThat(confirms.nothingCommitted(lsn(1_100))).isNull();
        assertThat(confirms.nothingCommitted(lsn(1_200))).isNull();
        confirms.committed(null); // a batch that ended inside a transaction: nothing to confirm, but states to flush
        assertThat(confirms.nothingCommitted(lsn(1_300))).isNull();
        assertThat(confirms.observed(lsn(5_000), lsn(4_999))).isNull();
        assertThat(confirms.observed(lsn(5_100), lsn(5_000))).as("all of them, the last position")
                .isEqualTo(lsn(1_300));
        assertThat(confirms.waiting()).isFalse();
    }

    @Test
    void aCommitIsNeverReleasedByAPositionReadBeforeIt() {
        DurableConfirms confirms = new DurableConfirms();
        confirms.committed(lsn(1_000));
        assertThat(confirms.observed(lsn(2_000), lsn(2_000))).isEqualTo(lsn(1_000));
        confirms.committed(lsn(2_100));
        assertThat(confirms.nothingCommitted(lsn(2_200))).isNull();
        assertThat(confirms.waiting()).isTrue();
        assertThat(confirms.observed(lsn(3_000), lsn(2_900))).as("flushed past 2,000, read before the commit, but"
                + " short of 3,000, read after it").isNull();
        assertThat(confirms.observed(lsn(3_100), lsn(3_000))).isEqualTo(lsn(2_200));
    }
}
