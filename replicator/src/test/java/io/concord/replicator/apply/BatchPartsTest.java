package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.RowVersion;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import io.concord.replicator.store.RowKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a batch is cut into parts that sessions apply side by side: whole transactions, rows shared only when named. */
class BatchPartsTest {

    private final List<BatchApplier.RemoteEvent> batch = new ArrayList<>();

    @Test
    void aLargeBatchOfDistinctRowsIsCutIntoEqualPartsBetweenTransactions() {
        for (long tx = 1; tx <= 1_000; tx++) {
            transaction(tx, tx * 10, tx * 10 + 1); // two rows per transaction
        }
        List<List<BatchApplier.RemoteEvent>> parts = eventsOf(BatchParts.of(batch, 2, 500, true));

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).hasSize(1_000);
        assertThat(BatchParts.of(batch, 2, 500, true)).allSatisfy(part -> assertThat(part.sharedWithEarlier()).isEmpty());
        assertThat(parts.get(1)).hasSize(1_000);
        assertThat(parts.get(0).get(999).event().getSource().getLast()).as("cut after a transaction's last event").isTrue();
        assertThat(parts.get(1).get(0).offset()).isEqualTo(1_000);
    }

    @Test
    void partsAreNeverSmallerThanTheMinimumNorMoreThanAsked() {
        for (long tx = 1; tx <= 1_200; tx++) {
            transaction(tx, tx);
        }
        assertThat(BatchParts.of(batch, 8, 500, true)).as("1,200 events make two parts of at least 500").hasSize(2);
        assertThat(eventsOf(BatchParts.of(batch, 8, 100, true))).hasSize(8)
                .allSatisfy(part -> assertThat(part).hasSizeBetween(100, 150));
        assertThat(eventsOf(BatchParts.of(batch, 1, 100, true))).containsExactly(batch);
        assertThat(BatchParts.of(batch.subList(0, 999), 2, 500, true)).as("too small to cut").hasSize(1);
    }

    @Test
    void oneTransactionIsNeverCut() {
        long[] ids = new long[2_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        transaction(1, ids);
        assertThat(eventsOf(BatchParts.of(batch, 4, 100, true))).containsExactly(batch);
    }

    @Test
    void aRowChangedInTwoPartsStaysInBothAndTheLaterOneNamesIt() {
        for (long tx = 1; tx <= 400; tx++) {
            transaction(tx, tx);
        }
        transaction(401, 50, 402); // row 50 again, in the last part, beside a new row
        transaction(402, 250); // row 250 again: it is in the third part
        List<BatchParts.Part> parts = BatchParts.of(batch, 4, 100, true);

        assertThat(parts).extracting(part -> part.events().size()).containsExactly(101, 101, 101, 100);
        assertThat(parts).extracting(BatchParts.Part::sharedWithEarlier)
                .containsExactly(Set.of(), Set.of(), Set.of(), Set.of(row(50), row(250)));
    }

    @Test
    void whereRowsMayNotBeSharedARowChangedInTwoPartsJoinsThemAndEveryPartBetween() {
        for (long tx = 1; tx <= 400; tx++) {
            transaction(tx, tx);
        }
        transaction(401, 50); // row 50 again, in the last part: parts 1 to 4 become one
        List<List<BatchApplier.RemoteEvent>> parts = eventsOf(BatchParts.of(batch, 4, 100, false));

        assertThat(parts).hasSize(1);
        batch.clear();
        for (long tx = 1; tx <= 400; tx++) {
            transaction(tx, tx);
        }
        transaction(401, 250); // row 250 is in the third part of four: the third and the fourth join
        parts = eventsOf(BatchParts.of(batch, 4, 100, false));

        assertThat(parts).extracting(List::size).containsExactly(101, 101, 199);
        assertThat(parts.stream().mapToInt(List::size).sum()).isEqualTo(batch.size());
    }

    @Test
    void theSameKeyInAnotherTableIsAnotherRow() {
        for (long tx = 1; tx <= 200; tx++) {
            transaction(tx, tx);
        }
        batch.add(new BatchApplier.RemoteEvent(event("other", 201, 1, true), batch.size()));
        assertThat(BatchParts.of(batch, 2, 100, false)).hasSize(2);
        assertThat(BatchParts.of(batch, 2, 100, true)).extracting(BatchParts.Part::sharedWithEarlier)
                .containsExactly(Set.of(), Set.of());
    }

    private static List<List<BatchApplier.RemoteEvent>> eventsOf(List<BatchParts.Part> parts) {
        return parts.stream().map(BatchParts.Part::events).toList();
    }

    private static RowKey row(long id) {
        return RowKey.of(new TableRef("public", "t"), List.of(new Column("id", "int8", new Datum(id))));
    }

    private void transaction(long tx, long... ids) {
        for (int i = 0; i < ids.length; i++) {
            batch.add(new BatchApplier.RemoteEvent(event("t", tx, ids[i], i == ids.length - 1), batch.size()));
        }
    }

    private static ChangeEvent event(String table, long tx, long id, boolean last) {
        return ChangeEvent.newBuilder().setEventId("b/" + tx + "/" + id).setOrigin("b").setPublishedBy("b")
                .setTable(new TableRef("public", table)).setOp(Operation.INSERT)
                .setKey(List.of(new Column("id", "int8", new Datum(id)))).setAfter(List.of())
                .setVersion(new RowVersion(Map.of("b", tx), tx, "b"))
                .setSource(new SourceTransaction(tx * 100, tx * 100, tx, 0, last)).build();
    }
}
