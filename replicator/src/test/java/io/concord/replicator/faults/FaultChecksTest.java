package io.concord.replicator.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's checks on made-up histories: each one catches the breach it is for, and passes what is right.
 * A check that cannot fail would prove nothing in the suite.
 */
class FaultChecksTest {

    private int seq;

    @Test
    void theModelPicksTheLatestWriteUnderLwwAndTheHigherRankedDcUnderPriority() {
        RowHistories.Versioned a = write("a", SuiteTable.LWW, 1, Write.Op.UPDATE, "from a", v(200, "a", "a", 2, "b", 1));
        RowHistories.Versioned b = write("b", SuiteTable.LWW, 1, Write.Op.UPDATE, "from b", v(300, "b", "a", 1, "b", 2));
        RowHistories.Versioned first = write("a", SuiteTable.LWW, 1, Write.Op.INSERT, "first", v(100, "a", "a", 1));
        RowHistories.Versioned seen = write("b", SuiteTable.LWW, 1, Write.Op.UPDATE, "seen", v(150, "b", "a", 1, "b", 1));

        ResolverModel.Expected lww = ResolverModel.expected(SuiteTable.LWW, List.of(first, seen, a, b));
        assertThat(lww.row().text()).isEqualTo("from b");
        assertThat(lww.version()).isEqualTo(v(300, "b", "a", 2, "b", 2));

        ResolverModel.Expected priority = ResolverModel.expected(SuiteTable.PRIORITY, List.of(first, seen, a, b));
        assertThat(priority.row().text()).as("a ranks above b, though b wrote later").isEqualTo("from a");
        assertThat(priority.version()).as("the version is the join, with the latest stamp").isEqualTo(
                v(300, "b", "a", 2, "b", 2));
    }

    @Test
    void underPriorityADeleteGoesByTheLaterStampAndTheCounterSumsEveryDelta() {
        RowHistories.Versioned base = write("a", SuiteTable.PRIORITY, 1, Write.Op.INSERT, "base", v(100, "a", "a", 1));
        RowHistories.Versioned update = write("a", SuiteTable.PRIORITY, 1, Write.Op.UPDATE, "a", v(200, "a", "a", 2));
        RowHistories.Versioned delete = write("b", SuiteTable.PRIORITY, 1, Write.Op.DELETE, null,
                v(300, "b", "a", 1, "b", 1));
        assertThat(ResolverModel.expected(SuiteTable.PRIORITY, List.of(base, update, delete)).present()).isFalse();

        RowHistories.Versioned seed = counter("a", 7, Write.Op.INSERT, 0, v(100, "a", "a", 1));
        RowHistories.Versioned plusA = counter("a", 7, Write.Op.UPDATE, 5, v(200, "a", "a", 2));
        RowHistories.Versioned minusB = counter("b", 7, Write.Op.UPDATE, -3, v(250, "b", "a", 1, "b", 1));
        ResolverModel.Expected counted = ResolverModel.expected(SuiteTable.MERGE, List.of(seed, plusA, minusB));
        assertThat(counted.row().number()).isEqualTo(2);
        assertThat(counted.row().text()).isEqualTo(minusB.write().text());
    }

    @Test
    void lossCheckReportsALostWriteAWrongValueAndAnUnexplainedRow() {
        RowHistories.Versioned insert = write("a", SuiteTable.LWW, 1, Write.Op.INSERT, "kept", v(100, "a", "a", 1));
        RowHistories.Versioned later = write("b", SuiteTable.LWW, 1, Write.Op.UPDATE, "later", v(200, "b", "a", 1, "b", 1));
        Write lost = new Write(++seq, "c", 99, SuiteTable.LWW, 2, Write.Op.INSERT, "lost", 1, Write.Status.COMMITTED);
        RowHistories histories = RowHistories.of(List.of(insert, later), List.of(lost), Set.of());

        Snapshot right = snapshot("a", SuiteTable.LWW, 1, new Snapshot.Row("later", 0), v(200, "b", "a", 1, "b", 1));
        assertThat(LossCheck.check(histories, Map.of("a", right))).singleElement().asString().contains("lost");

        Snapshot stale = snapshot("b", SuiteTable.LWW, 1, new Snapshot.Row("kept", 0), v(100, "a", "a", 1));
        stale.rows().get(SuiteTable.LWW).put(5L, new Snapshot.Row("ghost", 0));
        List<String> violations = LossCheck.check(histories, Map.of("b", stale));
        assertThat(violations).anyMatch(v -> v.contains("expected row (later, 0), found row (kept, 0)"));
        assertThat(violations).anyMatch(v -> v.contains("no committed write explains"));
    }

    @Test
    void causalityCheckReportsAClockThatRunsBackwardsAndACounterGap() {
        RowHistories.Versioned first = write("a", SuiteTable.LWW, 1, Write.Op.INSERT, "x", v(500, "a", "a", 1));
        RowHistories.Versioned after = write("b", SuiteTable.LWW, 1, Write.Op.UPDATE, "y", v(400, "b", "a", 1, "b", 1));
        RowHistories.Versioned gap = write("a", SuiteTable.LWW, 1, Write.Op.UPDATE, "z", v(600, "a", "a", 3, "b", 1));

        List<String> violations = CausalityCheck.check(RowHistories.of(List.of(first, after, gap), List.of(), Set.of()));

        assertThat(violations).anyMatch(v -> v.contains("causality broken by the clock"));
        assertThat(violations).anyMatch(v -> v.contains("counters [1, 3] instead of 1..2"));
    }

    @Test
    void conflictCheckDemandsARowForEveryConcurrentPairAndNoneForOrderedOnes() {
        RowHistories.Versioned base = write("a", SuiteTable.RECORD, 1, Write.Op.INSERT, "base", v(100, "a", "a", 1));
        RowHistories.Versioned fromA = write("a", SuiteTable.RECORD, 1, Write.Op.UPDATE, "a", v(200, "a", "a", 2));
        RowHistories.Versioned fromB = write("b", SuiteTable.RECORD, 1, Write.Op.UPDATE, "b", v(210, "b", "a", 1, "b", 1));
        RowHistories histories = RowHistories.of(List.of(base, fromA, fromB), List.of(), Set.of());

        ConflictCheck.Outcome none = ConflictCheck.check(histories, Map.of("a", List.of()));
        assertThat(none.violations()).singleElement().asString().contains("no conflict row that separates them");
        assertThat(none.stats().concurrentPairs()).isEqualTo(1);

        ConflictRows.Conflict inA = conflict("a", "id1", fromA.version(), fromB.version());
        ConflictRows.Conflict inB = conflict("b", "id1", fromB.version(), fromA.version());
        assertThat(ConflictCheck.check(histories, Map.of("a", List.of(inA), "b", List.of(inB))).violations()).isEmpty();

        ConflictRows.Conflict ordered = conflict("c", "id1", base.version(), fromA.version());
        ConflictRows.Conflict otherId = conflict("c", "id2", fromB.version(), fromA.version());
        List<String> violations = ConflictCheck.check(histories, Map.of("a", List.of(inA), "c", List.of(ordered, otherId)))
                .violations();
        assertThat(violations).anyMatch(v -> v.contains("causally ordered"));
        assertThat(violations).anyMatch(v -> v.contains("different ids in different DCs"));
        assertThat(violations).anyMatch(v -> v.contains("names different rows or versions"));
    }

    @Test
    void aLocalVersionThatNoStateCouldHaveHadIsReported() {
        RowHistories.Versioned fromA = write("a", SuiteTable.RECORD, 1, Write.Op.INSERT, "a", v(200, "a", "a", 1));
        RowHistories.Versioned fromB = write("b", SuiteTable.RECORD, 1, Write.Op.INSERT, "b", v(210, "b", "b", 1));
        RowHistories histories = RowHistories.of(List.of(fromA, fromB), List.of(), Set.of());

        ConflictRows.Conflict invented = conflict("a", "id1", v(999, "a", "a", 1), fromB.version());

        assertThat(ConflictCheck.check(histories, Map.of("a", List.of(invented))).violations())
                .anyMatch(v -> v.contains("not the join of the writes it covers"));
    }

    @Test
    void convergenceCheckNamesTheRowOnWhichDcsDiverge() {
        Snapshot a = snapshot("a", SuiteTable.RECORD, 3, new Snapshot.Row("x", 1), v(100, "a", "a", 1));
        Snapshot b = snapshot("b", SuiteTable.RECORD, 3, new Snapshot.Row("y", 1), v(100, "a", "a", 1));

        assertThat(ConvergenceCheck.check(Map.of("a", a, "b", b))).singleElement().asString()
                .contains("record_items id 3");
        assertThat(ConvergenceCheck.check(Map.of("a", a, "a2", a))).isEmpty();
    }

    private RowHistories.Versioned write(String dc, SuiteTable table, long id, Write.Op op, String text, Version v) {
        return new RowHistories.Versioned(new Write(++seq, dc, 1000 + seq, table, id, op, text, 0,
                Write.Status.COMMITTED), v);
    }

    private RowHistories.Versioned counter(String dc, long id, Write.Op op, long delta, Version v) {
        return new RowHistories.Versioned(new Write(++seq, dc, 1000 + seq, SuiteTable.MERGE, id, op, "t" + seq, delta,
                Write.Status.COMMITTED), v);
    }

    private static ConflictRows.Conflict conflict(String dc, String id, Version local, Version remote) {
        return new ConflictRows.Conflict(dc, id, SuiteTable.RECORD, 1, "update_update", local, remote, false,
                "remote_applied");
    }

    /** A version: hlc, writer, then DC / counter pairs. */
    private static Version v(long hlc, String dc, Object... counters) {
        Map<String, Long> vector = new TreeMap<>();
        for (int i = 0; i < counters.length; i += 2) {
            vector.put((String) counters[i], ((Integer) counters[i + 1]).longValue());
        }
        return new Version(vector, hlc, dc);
    }

    private static Snapshot snapshot(String dc, SuiteTable table, long id, Snapshot.Row row, Version version) {
        Map<SuiteTable, Map<Long, Snapshot.Row>> rows = new EnumMap<>(SuiteTable.class);
        Map<SuiteTable, Map<Long, Snapshot.Stored>> versions = new EnumMap<>(SuiteTable.class);
        for (SuiteTable t : SuiteTable.values()) {
            rows.put(t, new TreeMap<>());
            versions.put(t, new TreeMap<>());
        }
        rows.get(table).put(id, row);
        versions.get(table).put(id, new Snapshot.Stored(version, false));
        return new Snapshot(dc, rows, versions);
    }
}
