package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.event.Sibling;
import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnStates;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.version.ColumnStamp;
import io.concord.version.RowVersion;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One version of a row to its stored form and back: live rows with everything known, tombstones, malformed input. */
class SiblingCodecTest {

    private static final Map<String, String> TYPES = Map.of("id", "int8", "qty", "int4", "note", "varchar");
    private static final RowVersion VERSION = RowVersion.parse("a:2,b:1@1700000000000009/a");

    @Test
    void aLiveRowKeepsItsBeforeImageChangedColumnsAndColumnStates() {
        ColumnStates columns = ColumnStates.of(Map.of("qty", ColumnState.Counter.start(ColumnStamp.of(VERSION), 3)));
        VersionedRow row = new VersionedRow(Operation.UPDATE, RowImage.of(Map.of("id", 1L, "qty", 3, "note", "n")),
                VERSION, columns, RowImage.of(Map.of("id", 1L, "qty", 2)), Set.of("qty"));

        Sibling sibling = SiblingCodec.toAvro(row, TYPES);

        assertThat(sibling.getOp()).isEqualTo(io.concord.event.Operation.UPDATE);
        assertThat(sibling.getAfter()).extracting(io.concord.event.Column::getType).containsExactly("int8", "varchar", "int4");
        assertThat(SiblingCodec.fromAvro(sibling, TYPES)).isEqualTo(row);
    }

    @Test
    void aTombstoneHasNoRowButKeepsItsState() {
        ColumnStates columns = ColumnStates.of(Map.of("qty", ColumnState.Counter.start(ColumnStamp.of(VERSION), 3)));
        VersionedRow tombstone = new VersionedRow(Operation.DELETE, null, VERSION, columns,
                RowImage.of(Map.of("id", 1L)), null);

        Sibling sibling = SiblingCodec.toAvro(tombstone, TYPES);

        assertThat(sibling.getAfter()).isNull();
        assertThat(sibling.getChangedColumns()).isNull();
        assertThat(SiblingCodec.fromAvro(sibling, TYPES)).isEqualTo(tombstone);
        assertThat(SiblingCodec.toAvro(VersionedRow.tombstone(VERSION), TYPES).getColumnStates())
                .as("no state kept").isNull();
    }

    @Test
    void aDeleteWithARowIsRefused() {
        Sibling sibling = SiblingCodec.toAvro(VersionedRow.live(Operation.INSERT, RowImage.of(Map.of("id", 1L)), VERSION),
                TYPES);
        sibling.setOp(io.concord.event.Operation.DELETE);

        assertThatThrownBy(() -> SiblingCodec.fromAvro(sibling, TYPES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a DELETE leaves a tombstone");
    }
}
