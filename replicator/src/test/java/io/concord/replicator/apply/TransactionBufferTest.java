package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where source transactions end in a partition's buffer: the rule that keeps a transaction in one local commit. */
class TransactionBufferTest {

    private final TransactionBuffer buffer = new TransactionBuffer();
    private long offset;

    @Test
    void onlyWholeTransactionsAreHandedOut() {
        add("b", 100, false);
        add("b", 100, false);
        assertThat(buffer.whole()).isZero();
        add("b", 100, true);
        add("b", 200, false);
        assertThat(buffer.whole()).isEqualTo(3);
        assertThat(buffer.wholeTransactions()).extracting(BatchApplier.RemoteEvent::offset).containsExactly(0L, 1L, 2L);

        buffer.drop(3);
        assertThat(buffer.whole()).isZero();
        add("b", 200, true);
        assertThat(buffer.wholeTransactions()).extracting(BatchApplier.RemoteEvent::offset).containsExactly(3L, 4L);
    }

    @Test
    void whatIsHandedOutStaysUntilDroppedAndIsNotHandedOutTwice() {
        add("b", 100, true);
        buffer.noteReady(1_000);
        assertThat(buffer.readyFor(20, 1_019)).isFalse();
        assertThat(buffer.readyFor(20, 1_020)).isTrue();
        assertThat(buffer.take()).extracting(BatchApplier.RemoteEvent::offset).containsExactly(0L);
        add("b", 200, true);
        add("b", 300, false);
        assertThat(buffer.ready()).as("the batch in hand is not ready again").isEqualTo(1);
        assertThat(buffer.isEmpty()).isFalse();
        buffer.noteReady(2_000);
        assertThat(buffer.readyFor(0, 2_000)).isTrue();

        buffer.drop(1);
        assertThat(buffer.take()).extracting(BatchApplier.RemoteEvent::offset).containsExactly(1L);
        assertThat(buffer.readyFor(0, 3_000)).as("nothing whole waits").isFalse();
        buffer.giveBack();
        assertThat(buffer.ready()).as("given back, to be handed out again").isEqualTo(1);
    }

    @Test
    void aDroppedEventOfThisDcStillEndsATransaction() {
        add("b", 100, false);
        buffer.boundary(event("a", 150, true));
        assertThat(buffer.whole()).as("another transaction began, so the one before is whole").isEqualTo(1);
        add("b", 300, false);
        buffer.boundary(event("b", 300, true));
        assertThat(buffer.whole()).isEqualTo(2);
    }

    @Test
    void forwardedEventsWithoutTheirLastAreWholeWhenTheNextTransactionOrAHeartbeatComes() {
        // A forwarder passes on only what it applied: the last event of a's transaction may be missing.
        add("a", 100, false);
        add("a", 100, false);
        buffer.heartbeat("a");
        assertThat(buffer.whole()).as("a heartbeat of the origin itself says nothing").isZero();
        buffer.heartbeat("c");
        assertThat(buffer.whole()).as("the forwarder's heartbeat follows the whole forwarded batch").isEqualTo(2);
        add("a", 200, false);
        add("b", 50, false);
        assertThat(buffer.whole()).isEqualTo(3);
    }

    @Test
    void aBatchIsCutIntoItsTransactions() {
        add("b", 100, false);
        add("b", 100, true);
        add("a", 150, false);
        add("b", 200, true);
        add("b", 300, true);
        assertThat(TransactionBuffer.transactions(buffer.wholeTransactions())).extracting(List::size)
                .containsExactly(2, 1, 1, 1);
    }

    private void add(String origin, long commitLsn, boolean last) {
        buffer.add(new BatchApplier.RemoteEvent(event(origin, commitLsn, last), offset++));
    }

    private static ChangeEvent event(String origin, long commitLsn, boolean last) {
        return ChangeEvent.newBuilder().setEventId(origin + "/" + commitLsn).setOrigin(origin).setPublishedBy(origin)
                .setTable(new TableRef("public", "t")).setOp(Operation.INSERT)
                .setKey(List.of(new Column("id", "int8", new Datum(1L)))).setAfter(List.of())
                .setVersion(new RowVersion(Map.of(origin, 1L), 1L, origin))
                .setSource(new SourceTransaction(commitLsn, commitLsn, 1L, 0, last)).build();
    }
}
