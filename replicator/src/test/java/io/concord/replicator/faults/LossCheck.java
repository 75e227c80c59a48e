package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Nothing lost: every committed write reached its DC's topic; every row ends, in every DC, as its whole history
 * says it must ({@link ResolverModel}): for {@code lww} and {@code priority} that is the final value or one that
 * provably supersedes each write, for the counter the sum of every committed delta; every key inserted and never
 * deleted exists everywhere; and no DC holds a row or version that no committed write explains.
 */
final class LossCheck {

    private static final int MAX_REPORTED = 15;

    private LossCheck() {
    }

    static List<String> check(RowHistories histories, Map<String, Snapshot> snapshots) {
        List<String> violations = new ArrayList<>();
        histories.unpublished().stream().limit(MAX_REPORTED).forEach(w -> violations.add(
                "committed write never published by capture (lost): " + w));
        histories.rows().forEach((row, writes) -> {
            ResolverModel.Expected expected = ResolverModel.expected(row.table(), writes);
            boolean neverDeleted = writes.stream().noneMatch(w -> w.write().op() == Write.Op.DELETE)
                    && writes.stream().anyMatch(w -> w.write().op() == Write.Op.INSERT);
            for (Snapshot snapshot : snapshots.values()) {
                Snapshot.Row actual = snapshot.rows().get(row.table()).get(row.id());
                Snapshot.Stored stored = snapshot.versions().get(row.table()).get(row.id());
                if (neverDeleted && actual == null) {
                    violations.add(row + " was inserted and never deleted, yet DC " + snapshot.dc() + " lacks it;"
                            + " its writes:" + RowHistories.describe(writes, 30));
                    continue;
                }
                String problem = compare(expected, actual, stored);
                if (problem != null) {
                    violations.add(row + " in DC " + snapshot.dc() + ": " + problem + "; its writes:"
                            + RowHistories.describe(writes, 30));
                }
            }
        });
        for (Snapshot snapshot : snapshots.values()) {
            for (SuiteTable table : SuiteTable.values()) {
                unexplained(histories, snapshot, table, snapshot.rows().get(table).keySet(), "row", violations);
                unexplained(histories, snapshot, table, snapshot.versions().get(table).keySet(), "row version",
                        violations);
            }
        }
        return violations.size() > MAX_REPORTED * 4 ? violations.subList(0, MAX_REPORTED * 4) : violations;
    }

    private static String compare(ResolverModel.Expected expected, Snapshot.Row actual, Snapshot.Stored stored) {
        String want = expected.present() ? "row " + expected.row() : "no row (deleted)";
        if (!Objects.equals(expected.present() ? expected.row() : null, actual)) {
            return "expected " + want + ", found " + (actual == null ? "no row" : "row " + actual);
        }
        if (stored == null) {
            return "no version in concord.row_versions (expected " + expected.version() + ")";
        }
        if (!stored.version().equals(expected.version()) || stored.deleted() == expected.present()) {
            return "expected version " + expected.version() + (expected.present() ? "" : " deleted") + ", found "
                    + stored;
        }
        return null;
    }

    private static void unexplained(RowHistories histories, Snapshot snapshot, SuiteTable table,
            Iterable<Long> ids, String what, List<String> violations) {
        for (long id : ids) {
            if (!histories.rows().containsKey(new RowHistories.Row(table, id)) && !histories.undecided(id)) {
                violations.add("DC " + snapshot.dc() + " has a " + what + " of " + table.tableName() + " id " + id
                        + " that no committed write explains: " + snapshot.rows().get(table).get(id) + " "
                        + snapshot.versions().get(table).get(id));
            }
        }
    }
}
