package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.capture.Lsn;
import io.concord.resolver.Operation;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.RowState;
import io.concord.version.RowVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored state's WAL-position order and the types it carries to the next state. */
class StoredRowStateTest {

    private static final RowKey KEY = new RowKey("public.t", "[\"1\"]");
    private static final RowState STATE = RowState.of(VersionedRow.live(Operation.INSERT,
            RowImage.of(Map.of("id", 1L)), RowVersion.parse("a:1@1700000000000000/a")));

    @Test
    void isOrderedByLsnThenSeq() {
        StoredRowState first = new StoredRowState(KEY, STATE, Lsn.parse("0/10"), 5, Map.of());

        assertThat(new StoredRowState(KEY, STATE, Lsn.parse("0/10"), 6, Map.of()).isAfter(first)).isTrue();
        assertThat(new StoredRowState(KEY, STATE, Lsn.parse("0/11"), 0, Map.of()).isAfter(first)).isTrue();
        assertThat(new StoredRowState(KEY, STATE, Lsn.parse("0/10"), 5, Map.of()).isAfter(first)).isFalse();
        assertThat(new StoredRowState(KEY, STATE, Lsn.parse("FFFFFFFF/0"), 0, Map.of()).isAfter(first))
                .as("unsigned LSN order").isTrue();
    }

    @Test
    void theNextStateKeepsStoredTypesTheChangeDidNotSend() {
        StoredRowState stored = new StoredRowState(KEY, STATE, Lsn.parse("0/10"), 0,
                Map.of("id", "int4", "big", "text"));

        StoredRowState next = stored.next(STATE, Lsn.parse("0/20"), 1, Map.of("id", "int8"));

        // In no particular order: every reader looks types up, and the stored bytes sort them (RowStateWriter).
        assertThat(next.columnTypes()).isEqualTo(Map.of("big", "text", "id", "int8"));
        assertThat(next.lsn()).isEqualTo(Lsn.parse("0/20"));
        assertThat(next.key()).isEqualTo(KEY);
    }

    @Test
    void anEmptyStateIsNothingToStore() {
        assertThatThrownBy(() -> new StoredRowState(KEY, RowState.empty(), Lsn.parse("0/10"), 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has nothing to store");
    }
}
