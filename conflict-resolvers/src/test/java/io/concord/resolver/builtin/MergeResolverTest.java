package io.concord.resolver.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.resolver.state.LocalChange;
import io.concord.resolver.state.Reconciler;
import io.concord.resolver.state.Reconciliation;
import io.concord.resolver.state.ResolutionKind;
import io.concord.resolver.state.RowState;
import io.concord.version.DcId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeResolverTest {

    private static final DcId A = DcId.of("a");
    private static final DcId B = DcId.of("b");
    private static final DcId C = DcId.of("c");
    private static final RowImage KEY = RowImage.of(Map.of("id", 1L));

    private final Reconciler reconciler = new Reconciler("public.orders", ResolverRegistry.load().create("merge",
            Map.of("columns", Map.of("qty", "counter", "tags", "union", "note", "concat", "score", "max"))));
    private final RowState base = RowState.of(reconciler.write(RowState.empty(), LocalChange.insert(A, 100,
            RowImage.of(Map.of("id", 1L, "qty", 10L, "tags", List.of("x"), "note", "n", "score", 5L, "status", "new")))));

    private VersionedRow update(DcId dc, long micros, RowState from, Map<String, Object> changes) {
        RowImage before = from.current().row();
        RowImage after = before;
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            after = after.with(change.getKey(), change.getValue());
        }
        return reconciler.write(from, LocalChange.update(dc, micros, before, after));
    }

    private RowImage settle(VersionedRow... writes) {
        RowState state = base;
        for (VersionedRow write : writes) {
            state = reconciler.receive(state, KEY, write).state();
        }
        return state.current().row();
    }

    @Test
    void changesToDisjointColumnsBothSurvive() {
        VersionedRow fromA = update(A, 200, base, Map.of("status", "paid"));
        VersionedRow fromB = update(B, 300, base, Map.of("score", 7L));
        Reconciliation outcome = reconciler.receive(RowState.of(fromA), KEY, fromB);
        assertThat(outcome.state().current().row().get("status")).isEqualTo("paid");
        assertThat(outcome.state().current().row().get("score")).isEqualTo(7L);
        assertThat(outcome.conflict().orElseThrow().resolution()).isEqualTo(ResolutionKind.MERGED);
    }

    @Test
    void overlappingColumnsFollowTheirStrategies() {
        VersionedRow fromA = update(A, 200, base, Map.of("qty", 13L, "tags", List.of("x", "a"), "note", "ring", "score", 9L,
                "status", "paid"));
        VersionedRow fromB = update(B, 300, base, Map.of("qty", 8L, "tags", List.of("b"), "note", "call", "score", 6L,
                "status", "shipped"));
        RowImage merged = settle(fromA, fromB);
        assertThat(merged.toMap()).containsEntry("qty", 11L).containsEntry("tags", List.of("a", "b", "x"))
                .containsEntry("note", "call, ring").containsEntry("score", 9L).containsEntry("status", "shipped");
        assertThat(settle(fromB, fromA)).isEqualTo(merged);
    }

    @Test
    void aValueOverwrittenAfterBeingSeenDoesNotComeBack() {
        // a sets score 50; c sees that and lowers it to 1; b, unaware of both, writes 20. Max is over {20, 1}.
        VersionedRow high = update(A, 200, base, Map.of("score", 50L));
        VersionedRow lowered = update(C, 400, RowState.of(high), Map.of("score", 1L));
        VersionedRow unaware = update(B, 300, base, Map.of("score", 20L));
        assertThat(settle(high, unaware, lowered).get("score")).isEqualTo(20L);
        assertThat(settle(lowered, unaware, high).get("score")).isEqualTo(20L);
    }

    @Test
    void everyCounterDeltaIsCountedOnce() {
        VersionedRow plus3 = update(A, 200, base, Map.of("qty", 13L));
        VersionedRow minus2 = update(B, 300, base, Map.of("qty", 8L));
        VersionedRow plus5 = update(C, 400, RowState.of(plus3), Map.of("qty", 18L));
        assertThat(settle(plus3, minus2, plus5, plus3, minus2).get("qty")).isEqualTo(16L);
        assertThat(settle(plus5, minus2).get("qty")).isEqualTo(16L);
    }

    @Test
    void declaresTheStateItNeeds() {
        ConfiguredResolver merge = ResolverRegistry.load().create("merge", Map.of("columns", Map.of("qty", "counter")));
        assertThat(merge.resolver().tracking().enabled()).isTrue();
        assertThat(merge.resolver().tracking().counterColumns()).containsExactly("qty");
    }

    @Test
    void validatesItsStrategies() {
        assertThatThrownBy(() -> ResolverRegistry.load().create("merge",
                Map.of("columns", Map.of("qty", "sum"), "separator", 5)))
                .hasMessageContaining("resolver.columns.qty: got 'sum', expected one of concat, counter, lww, max, min, union")
                .hasMessageContaining("resolver.separator: got 5 (Integer), expected a non-empty string");
        assertThatThrownBy(() -> ResolverRegistry.load().create("merge", Map.of("columns", List.of("qty"))))
                .hasMessageContaining("expected a map of names to strings");
    }
}
