package io.concord.resolver.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.Conflict;
import io.concord.resolver.state.LocalChange;
import io.concord.resolver.state.Reconciler;
import io.concord.resolver.state.RowState;
import io.concord.version.DcId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordResolverTest {

    private static final RowImage KEY = RowImage.of(Map.of("id", 1L));
    private final ResolverRegistry registry = ResolverRegistry.load();

    private Conflict conflictUnder(ConfiguredResolver resolver) {
        Reconciler reconciler = new Reconciler("t", resolver);
        VersionedRow fromA = reconciler.write(RowState.empty(), LocalChange.insert(DcId.of("a"), 200, KEY.with("v", "a")));
        VersionedRow fromB = reconciler.write(RowState.empty(), LocalChange.insert(DcId.of("b"), 100, KEY.with("v", "b")));
        return reconciler.receive(RowState.of(fromA), KEY, fromB).conflict().orElseThrow();
    }

    @Test
    void recordsEveryConflictAndAppliesTheWinnersRow() {
        Conflict conflict = conflictUnder(registry.create("record", Map.of("winner", "priority", "order", List.of("b"))));
        assertThat(conflict.record()).isTrue();
        assertThat(conflict.applied().row().get("v")).isEqualTo("b");
        assertThat(conflict.resolver()).isEqualTo("record");
    }

    @Test
    void defaultsToLww() {
        Conflict conflict = conflictUnder(registry.create("record", Map.of()));
        assertThat(conflict.record()).isTrue();
        assertThat(conflict.applied().row().get("v")).isEqualTo("a");
    }

    @Test
    void anyResolverRecordsWithOptionRecord() {
        assertThat(conflictUnder(registry.create("lww", Map.of())).record()).isFalse();
        assertThat(conflictUnder(registry.create("lww", Map.of("record", true))).record()).isTrue();
    }

    @Test
    void theWinnersOptionsAreValidatedToo() {
        assertThatThrownBy(() -> registry.create("record", Map.of("winner", "priority")))
                .hasMessageContaining("resolver.order: missing");
        assertThatThrownBy(() -> registry.create("record", Map.of("winner", "lww", "order", List.of("a"))))
                .hasMessageContaining("resolver.order: unknown option");
        assertThatThrownBy(() -> registry.create("record", Map.of("winner", "newest")))
                .hasMessageContaining("unknown resolver 'newest'; known: lww, merge, priority, record");
        assertThatThrownBy(() -> registry.create("record", Map.of("winner", "record")))
                .hasMessageContaining("resolver.winner: got 'record', expected a resolver other than record itself");
    }
}
