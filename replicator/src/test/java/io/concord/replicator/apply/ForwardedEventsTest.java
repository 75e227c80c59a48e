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

class ForwardedEventsTest {

    @Test
    void eachTransactionsLastForwardedEventIsMarkedLast() {
        // b's transaction 100 lost its last event (seen here already); c's 150 is whole; b's 200 forwards one
        // event of three.
        List<ChangeEvent> applied = List.of(event("b", 100, 0, false), event("b", 100, 1, false),
                event("c", 150, 0, false), event("c", 150, 1, true), event("b", 200, 1, false));

        List<ChangeEvent> forward = ForwardedEvents.of(applied);

        assertThat(forward).extracting(e -> e.getOrigin() + "/" + e.getSource().getCommitLsn() + "#"
                + e.getSource().getIndex() + " last=" + e.getSource().getLast())
                .containsExactly("b/100#0 last=false", "b/100#1 last=true", "c/150#0 last=false", "c/150#1 last=true",
                        "b/200#1 last=true");
        assertThat(applied.get(1).getSource().getLast()).as("the batch's own events are left as they are").isFalse();
        assertThat(forward.get(1).getVersion()).isEqualTo(applied.get(1).getVersion());
        assertThat(forward.get(1).getEventId()).isEqualTo(applied.get(1).getEventId());
    }

    @Test
    void aReceiverSeesTheForwardedTransactionWholeAtOnce() {
        List<ChangeEvent> forward = ForwardedEvents.of(List.of(event("b", 100, 0, false)));
        TransactionBuffer buffer = new TransactionBuffer();
        buffer.add(new BatchApplier.RemoteEvent(forward.get(0), 0));
        assertThat(buffer.whole()).isEqualTo(1);
    }

    private static ChangeEvent event(String origin, long commitLsn, int index, boolean last) {
        return ChangeEvent.newBuilder().setEventId(origin + "/" + commitLsn + "/" + index).setOrigin(origin)
                .setPublishedBy("a").setTable(new TableRef("public", "t")).setOp(Operation.INSERT)
                .setKey(List.of(new Column("id", "int8", new Datum((long) index)))).setAfter(List.of())
                .setVersion(new RowVersion(Map.of(origin, 1L), 1L, origin))
                .setSource(new SourceTransaction(commitLsn, commitLsn, 1L, index, last)).build();
    }
}
