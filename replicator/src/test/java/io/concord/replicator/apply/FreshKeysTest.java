package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.event.ChangeEvent;
import io.concord.event.Column;
import io.concord.event.Datum;
import io.concord.event.Operation;
import io.concord.event.SourceTransaction;
import io.concord.event.TableRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshKeysTest {

    private final FreshKeys freshKeys = new FreshKeys();

    @Test
    void aBatchOfInsertsIsWorthTrying() {
        assertThat(freshKeys.worthTrying(List.of(insert("keyed", 1), insert("keyed", 2)))).isTrue();
        // Events of a table not replicated here become dead letters, whichever way the batch goes.
        assertThat(freshKeys.worthTrying(List.of(insert("keyed", 1), insert("elsewhere", 2)))).isTrue();
    }

    @Test
    void anUpdateOrADeleteAnywhereInTheBatchMeansTheOrdinaryWay() {
        assertThat(freshKeys.worthTrying(List.of(insert("keyed", 1), event(Operation.UPDATE, "keyed", 1))))
                .isFalse();
        assertThat(freshKeys.worthTrying(List.of(event(Operation.DELETE, "keyed", 3), insert("keyed", 4))))
                .isFalse();
    }

    @Test
    void afterAMissTheGuessPausesLongerWithEveryMissInARowUntilAHit() {
        List<BatchApplier.RemoteEvent> batch = List.of(insert("keyed", 1));
        freshKeys.miss();
        assertThat(tries(batch, 12)).isEqualTo(List.of(false, false, false, false, true, true, true, true, true, true,
                true, true));
        freshKeys.miss();
        freshKeys.miss();
        assertThat(tries(batch, 17).indexOf(true)).as("the third miss in a row: a pause of 16").isEqualTo(16);
        freshKeys.hit();
        freshKeys.miss();
        assertThat(tries(batch, 5).indexOf(true)).as("a hit ends the pauses: the next miss pauses 4 again")
                .isEqualTo(FreshKeys.FIRST_PAUSE);
    }

    @Test
    void thePauseNeverGrowsPastTheLongest() {
        for (int i = 0; i < 20; i++) {
            freshKeys.miss();
        }
        assertThat(tries(List.of(insert("keyed", 1)), FreshKeys.LONGEST_PAUSE + 1).indexOf(true))
                .isEqualTo(FreshKeys.LONGEST_PAUSE);
    }

    @Test
    void batchesThatAreNoCandidatesDoNotShortenAPause() {
        freshKeys.miss();
        for (int i = 0; i < 10; i++) {
            freshKeys.worthTrying(List.of(event(Operation.UPDATE, "keyed", 1)));
        }
        assertThat(tries(List.of(insert("keyed", 1)), 5).indexOf(true)).isEqualTo(FreshKeys.FIRST_PAUSE);
    }

    private List<Boolean> tries(List<BatchApplier.RemoteEvent> batch, int times) {
        List<Boolean> answers = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            answers.add(freshKeys.worthTrying(batch));
        }
        return answers;
    }

    private static BatchApplier.RemoteEvent insert(String table, long id) {
        return event(Operation.INSERT, table, id);
    }

    private static BatchApplier.RemoteEvent event(Operation op, String table, long id) {
        Column key = new Column("id", "int8", new Datum(id));
        ChangeEvent event = ChangeEvent.newBuilder().setEventId("b/0/1/" + id).setOrigin("b").setPublishedBy("b")
                .setTable(new TableRef("public", table)).setOp(op).setKey(List.of(key))
                .setAfter(op == Operation.DELETE ? null : List.of(key))
                .setVersion(new io.concord.event.RowVersion(Map.of("b", id), 20L, "b"))
                .setSource(new SourceTransaction(1L, 1L, 20L, 0, true)).build();
        return new BatchApplier.RemoteEvent(event, id);
    }
}
