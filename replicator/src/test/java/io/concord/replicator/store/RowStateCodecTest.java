package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.Heartbeat;
import io.concord.event.RowStateRecord;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.resolver.ColumnState;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole row states to stored bytes and back, on the states replicas of concurrently written rows really hold. */
class RowStateCodecTest {

    private final RowStateCodec codec = new RowStateCodec();

    @Test
    void everyStateOfConcurrentlyWrittenRowsRoundTripsExactly() throws Exception {
        int withSiblings = 0;
        int tombstones = 0;
        int counters = 0;
        int withChangedColumns = 0;
        for (long seed = 0; seed < 40; seed++) {
            RandomRowStates rows = new RandomRowStates(seed);
            for (RowState state : rows.history(12)) {
                RowStateCodec.Decoded decoded = codec.decode(codec.encode(state, rows.types()));

                assertThat(decoded.state()).as("seed %d", seed).isEqualTo(state);
                assertThat(rows.types()).containsAllEntriesOf(decoded.columnTypes());
                withSiblings += state.siblings().size() > 1 ? 1 : 0;
                tombstones += state.current().isTombstone() ? 1 : 0;
                withChangedColumns += state.siblings().stream().anyMatch(s -> s.changedColumns() != null) ? 1 : 0;
                counters += state.current().columns().get("qty") instanceof ColumnState.Counter c
                        && !c.increments().isEmpty() && !c.decrements().isEmpty() ? 1 : 0;
            }
        }
        assertThat(withSiblings).as("states with concurrent siblings").isGreaterThan(50);
        assertThat(tombstones).as("tombstones").isGreaterThan(20);
        assertThat(counters).as("counters with increments and decrements").isGreaterThan(20);
        assertThat(withChangedColumns).as("siblings that know their changed columns").isGreaterThan(20);
    }

    @Test
    void theUsualSingleSiblingIsStoredOnce() {
        VersionedRow only = VersionedRow.live(io.concord.resolver.Operation.INSERT, RowImage.of(Map.of("id", 1L)),
                RowVersion.parse("a:1@1700000000000000/a"));

        RowStateRecord record = RowStateCodec.toRecord(RowState.of(only), Map.of("id", "int8"));

        assertThat(record.getSiblings()).hasSize(1);
        assertThat(record.getCurrent()).isNull();
        assertThat(RowStateCodec.toState(record)).isEqualTo(RowState.of(only));
    }

    @Test
    void aCurrentRowThatDiffersFromItsOnlySiblingIsStored() {
        VersionedRow sibling = VersionedRow.live(io.concord.resolver.Operation.UPDATE, RowImage.of(Map.of("id", 1L)),
                RowVersion.parse("b:2@1700000000000005/b"));
        VersionedRow current = sibling.withVersion(RowVersion.parse("a:1,b:2@1700000000000005/b"));
        RowState state = new RowState(List.of(sibling), current);

        RowStateRecord record = RowStateCodec.toRecord(state, Map.of("id", "int8"));

        assertThat(record.getCurrent()).isNotNull();
        assertThat(RowStateCodec.toState(record)).isEqualTo(state);
    }

    @Test
    void theTypesStoredAreThoseOfTheColumnsTheStateMentions() {
        VersionedRow tombstone = VersionedRow.tombstone(RowVersion.parse("a:1@1700000000000000/a"));

        RowStateRecord record = RowStateCodec.toRecord(RowState.of(tombstone), Map.of("id", "int8", "gone", "text"));

        assertThat(record.getColumnTypes()).isEmpty();
        assertThat(RowStateCodec.toState(record)).isEqualTo(RowState.of(tombstone));
    }

    @Test
    void severalSiblingsWithoutACurrentRowAreRefused() {
        VersionedRow a = VersionedRow.live(io.concord.resolver.Operation.INSERT, RowImage.of(Map.of("id", 1L)),
                RowVersion.parse("a:1@1700000000000000/a"));
        VersionedRow b = VersionedRow.live(io.concord.resolver.Operation.INSERT, RowImage.of(Map.of("id", 1L)),
                RowVersion.parse("b:1@1700000000000001/b"));
        RowState twoSiblings = new RowState(List.of(a, b), b.withVersion(a.version().merge(b.version())));
        RowStateRecord record = RowStateCodec.toRecord(twoSiblings, Map.of("id", "int8"));
        record.setCurrent(null);

        assertThatThrownBy(() -> RowStateCodec.toState(record))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 siblings must store its current row");
    }

    @Test
    void otherRecordsAreNotStates() {
        byte[] heartbeat = new EventCodec().encode(new Heartbeat("a", 1L, 2L, 3L));

        assertThatThrownBy(() -> codec.decode(heartbeat))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("expected a RowStateRecord, got a Heartbeat");
    }
}
