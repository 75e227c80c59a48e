package io.concord.resolver.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ConflictType;
import io.concord.resolver.Resolution;
import io.concord.resolver.ResolverRegistry;
import io.concord.resolver.RowImage;
import io.concord.resolver.UpdateDeletePolicy;
import io.concord.resolver.VersionedRow;
import io.concord.version.Causality;
import io.concord.version.DcId;
import io.concord.version.HybridLogicalClock;
import io.concord.version.RowVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final DcId A = DcId.of("a");
    private static final DcId B = DcId.of("b");
    private static final DcId C = DcId.of("c");
    private static final RowImage KEY = RowImage.of(Map.of("id", 1L));
    private static final long NOW = 1_700_000_000_000_000L;
    private static final long MINUTE = 60_000_000L;

    private final Reconciler lww = new Reconciler("public.orders", ResolverRegistry.load().create("lww", Map.of()));

    private static RowImage row(String value) {
        return KEY.with("v", value);
    }

    private VersionedRow insert(Reconciler reconciler, DcId dc, long micros, String value) {
        return reconciler.write(RowState.empty(), LocalChange.insert(dc, micros, row(value)));
    }

    private VersionedRow update(Reconciler reconciler, DcId dc, long micros, VersionedRow from, String value) {
        return reconciler.write(RowState.of(from), LocalChange.update(dc, micros, from.row(), row(value)));
    }

    @Test
    void aWriteThatSawTheLocalVersionIsAppliedWithoutConflict() {
        VersionedRow first = insert(lww, A, NOW, "1");
        VersionedRow second = update(lww, B, NOW + 5, first, "2");
        Reconciliation outcome = lww.receive(RowState.of(first), KEY, second);
        assertThat(outcome.causality()).isEqualTo(Causality.AFTER);
        assertThat(outcome.conflict()).isEmpty();
        assertThat(outcome.rowChanged()).isTrue();
        assertThat(outcome.state()).isEqualTo(RowState.of(second));
    }

    @Test
    void aStaleOrDuplicateWriteChangesNothing() {
        VersionedRow first = insert(lww, A, NOW, "1");
        VersionedRow second = update(lww, B, NOW + 5, first, "2");
        RowState state = RowState.of(second);
        assertThat(lww.receive(state, KEY, first).causality()).isEqualTo(Causality.BEFORE);
        Reconciliation duplicate = lww.receive(state, KEY, second);
        assertThat(duplicate.causality()).isEqualTo(Causality.EQUAL);
        assertThat(duplicate.state()).isSameAs(state);
        assertThat(duplicate.rowChanged()).isFalse();
    }

    @Test
    void aCausalSuccessorWrittenOnAClockMinutesBehindIsNotAConflictAndWinsLww() {
        HybridLogicalClock clockA = new HybridLogicalClock(() -> NOW);
        HybridLogicalClock clockB = new HybridLogicalClock(() -> NOW - 5 * MINUTE);
        VersionedRow fromA = insert(lww, A, clockA.tick(), "ahead");
        clockB.receive(fromA.version().hlc());
        VersionedRow fromB = update(lww, B, clockB.tick(), fromA, "behind but later");

        assertThat(fromB.version().hlc()).isGreaterThan(fromA.version().hlc());
        Reconciliation atA = lww.receive(RowState.of(fromA), KEY, fromB);
        assertThat(atA.causality()).isEqualTo(Causality.AFTER);
        assertThat(atA.conflict()).isEmpty();
        assertThat(atA.state().current().row()).isEqualTo(row("behind but later"));

        // Even a writer that forgot clock.receive gets past the row's hlc.
        VersionedRow careless = update(lww, C, NOW - 10 * MINUTE, fromA, "careless");
        assertThat(careless.timestamp()).isGreaterThan(fromA.timestamp());
    }

    @Test
    void concurrentWritesAreAConflictWithTheSameIdInBothDcs() {
        VersionedRow fromA = insert(lww, A, NOW + 10, "a");
        VersionedRow fromB = insert(lww, B, NOW, "b");
        Reconciliation atA = lww.receive(RowState.of(fromA), KEY, fromB);
        Reconciliation atB = lww.receive(RowState.of(fromB), KEY, fromA);

        Conflict conflictAtA = atA.conflict().orElseThrow();
        Conflict conflictAtB = atB.conflict().orElseThrow();
        assertThat(conflictAtA.id()).isEqualTo(conflictAtB.id());
        assertThat(conflictAtA.type()).isEqualTo(ConflictType.INSERT_INSERT);
        assertThat(conflictAtA.resolution()).isEqualTo(ResolutionKind.LOCAL_KEPT);
        assertThat(atA.rowChanged()).isFalse();
        assertThat(conflictAtB.resolution()).isEqualTo(ResolutionKind.REMOTE_APPLIED);
        assertThat(atB.rowChanged()).isTrue();
        assertThat(atA.state()).isEqualTo(atB.state());
        assertThat(atA.state().version()).hasToString("a:1,b:1@" + (NOW + 10) + "/a");
        assertThat(atA.state().siblings()).containsExactly(fromB, fromA);
    }

    @Test
    void aLaterLocalWriteSupersedesAllSiblings() {
        VersionedRow fromA = insert(lww, A, NOW + 10, "a");
        VersionedRow fromB = insert(lww, B, NOW, "b");
        RowState merged = lww.receive(RowState.of(fromA), KEY, fromB).state();
        VersionedRow next = lww.write(merged, LocalChange.update(C, NOW, merged.current().row(), row("c")));
        assertThat(next.version()).hasToString("a:1,b:1,c:1@" + (NOW + 11) + "/c");
        assertThat(lww.receive(merged, KEY, next).state().siblings()).containsExactly(next);
    }

    @Test
    void twoDeletesAgreeWithoutAConflict() {
        VersionedRow base = insert(lww, A, NOW, "a");
        VersionedRow deleteA = lww.write(RowState.of(base), LocalChange.delete(A, NOW + 1));
        VersionedRow deleteB = lww.write(RowState.of(base), LocalChange.delete(B, NOW + 2));
        Reconciliation outcome = lww.receive(RowState.of(deleteA), KEY, deleteB);
        assertThat(outcome.causality()).isEqualTo(Causality.CONCURRENT);
        assertThat(outcome.conflict()).isEmpty();
        assertThat(outcome.state().current().isTombstone()).isTrue();
        assertThat(outcome.rowChanged()).isFalse();
    }

    @Test
    void updateDeleteFollowsTheTablesPolicy() {
        Reconciler updateWins = new Reconciler("t", new ConfiguredResolver("lww", lww.resolver().resolver(),
                UpdateDeletePolicy.UPDATE_WINS, false));
        VersionedRow base = insert(updateWins, A, NOW, "a");
        VersionedRow deleted = updateWins.write(RowState.of(base), LocalChange.delete(A, NOW + 10));
        VersionedRow updated = update(updateWins, B, NOW + 5, base, "kept");
        Reconciliation outcome = updateWins.receive(RowState.of(deleted), KEY, updated);
        assertThat(outcome.conflict().orElseThrow().type()).isEqualTo(ConflictType.DELETE_UPDATE);
        assertThat(outcome.state().current().row()).isEqualTo(row("kept"));
        assertThat(lww.receive(RowState.of(deleted), KEY, updated).state().current().isTombstone()).isTrue();
    }

    @Test
    void aResolverThatInventsAVersionIsRefused() {
        ConfiguredResolver cheat = ConfiguredResolver.of("cheat",
                context -> new Resolution.KeepLocal(context.local().version(), false));
        Reconciler reconciler = new Reconciler("t", cheat);
        VersionedRow fromA = insert(reconciler, A, NOW, "a");
        VersionedRow fromB = insert(reconciler, B, NOW, "b");
        assertThatThrownBy(() -> reconciler.receive(RowState.of(fromA), KEY, fromB))
                .hasMessageContaining("resolver 'cheat' returned version a:1@")
                .hasMessageContaining("it must be the merged version a:1,b:1@");
    }

    @Test
    void theFirstWriteReceivedIsAppliedAsItIs() {
        VersionedRow fromA = insert(lww, A, NOW, "a");
        Reconciliation outcome = lww.receive(RowState.empty(), KEY, fromA);
        assertThat(outcome.causality()).isEqualTo(Causality.AFTER);
        assertThat(outcome.rowChanged()).isTrue();
        assertThat(lww.receive(RowState.empty(), KEY, VersionedRow.tombstone(RowVersion.first(A, NOW))).rowChanged()).isFalse();
    }

    @Test
    void siblingsStayInTimestampOrder() {
        VersionedRow one = insert(lww, A, NOW + 3, "a");
        VersionedRow two = insert(lww, B, NOW + 1, "b");
        VersionedRow three = insert(lww, C, NOW + 2, "c");
        RowState state = lww.receive(lww.receive(RowState.of(one), KEY, two).state(), KEY, three).state();
        assertThat(state.siblings()).containsExactly(two, three, one);
        assertThat(state.current().row()).isEqualTo(row("a"));
        assertThat(List.copyOf(state.siblings())).hasSize(3);
    }
}
