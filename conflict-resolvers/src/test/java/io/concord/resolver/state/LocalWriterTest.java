package io.concord.resolver.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.resolver.ColumnState;
import io.concord.resolver.ColumnTracking;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.version.DcId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalWriterTest {

    private static final DcId A = DcId.of("a");
    private static final DcId B = DcId.of("b");
    private final LocalWriter writer = new LocalWriter(ColumnTracking.columns(Set.of("qty")));
    private final LocalWriter plain = new LocalWriter(ColumnTracking.NONE);
    private final RowImage row = RowImage.of(Map.of("id", 1L, "qty", 10L, "note", "n"));

    @Test
    void withoutTrackingOnlyTheVersionMoves() {
        VersionedRow first = plain.write(RowState.empty(), LocalChange.insert(A, 100, row));
        assertThat(first.version()).hasToString("a:1@100/a");
        assertThat(first.columns().isEmpty()).isTrue();
        VersionedRow second = plain.write(RowState.of(first), LocalChange.update(B, 50, row, row.with("note", "m")));
        assertThat(second.version()).hasToString("a:1,b:1@101/b");
    }

    @Test
    void stampsOnlyTheChangedColumnsAndCountsTheDelta() {
        VersionedRow first = writer.write(RowState.empty(), LocalChange.insert(A, 100, row));
        VersionedRow second = writer.write(RowState.of(first), LocalChange.update(B, 200, row, row.with("qty", 14L)));
        assertThat(second.columns().get("note")).isEqualTo(first.columns().get("note"));
        ColumnState.Counter qty = (ColumnState.Counter) second.columns().get("qty");
        assertThat(qty.value()).isEqualTo(14L);
        assertThat(qty.increments()).containsOnlyKeys(B);
    }

    @Test
    void anUnsentColumnKeepsItsValue() {
        VersionedRow first = writer.write(RowState.empty(), LocalChange.insert(A, 100, row));
        VersionedRow second = writer.write(RowState.of(first),
                LocalChange.update(A, 200, null, RowImage.of(Map.of("id", 1L, "qty", 11L))));
        assertThat(second.row()).isEqualTo(row.with("qty", 11L));
        assertThat(((ColumnState.Counter) second.columns().get("qty")).value()).isEqualTo(11L);
    }

    @Test
    void theDeclaredChangedColumnsWin() {
        VersionedRow first = writer.write(RowState.empty(), LocalChange.insert(A, 100, row));
        VersionedRow second = writer.write(RowState.of(first), new LocalChange(A, 200, Operation.UPDATE,
                row.with("note", "same stamp"), row, Set.of("id")));
        assertThat(second.columns().get("note")).isEqualTo(first.columns().get("note"));
        assertThat(second.changedColumns()).containsExactly("id");
    }

    @Test
    void aTombstoneKeepsItsCountersSoAReinsertDoesNotCountTwice() {
        VersionedRow first = writer.write(RowState.empty(), LocalChange.insert(A, 100, row));
        VersionedRow bumped = writer.write(RowState.of(first), LocalChange.update(A, 200, row, row.with("qty", 15L)));
        VersionedRow deleted = writer.write(RowState.of(bumped), LocalChange.delete(A, 300));
        assertThat(deleted.isTombstone()).isTrue();
        VersionedRow reinserted = writer.write(RowState.of(deleted), LocalChange.insert(B, 400, row.with("qty", 3L)));
        ColumnState.Counter qty = (ColumnState.Counter) reinserted.columns().get("qty");
        assertThat(qty.value()).isEqualTo(3L);
        assertThat(qty.contributions()).isEqualByComparingTo("5");
        assertThat(reinserted.version()).hasToString("a:3,b:1@400/b");
    }
}
