package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** All DCs identical: the same user rows and the same row versions (tombstones included), table by table. */
final class ConvergenceCheck {

    private static final int MAX_REPORTED = 10;

    private ConvergenceCheck() {
    }

    static List<String> check(Map<String, Snapshot> snapshots) {
        List<String> violations = new ArrayList<>();
        for (SuiteTable table : SuiteTable.values()) {
            TreeSet<Long> ids = new TreeSet<>();
            snapshots.values().forEach(s -> {
                ids.addAll(s.rows().get(table).keySet());
                ids.addAll(s.versions().get(table).keySet());
            });
            int differing = 0;
            for (long id : ids) {
                boolean same = snapshots.values().stream().map(s -> s.rows().get(table).get(id)).distinct().count() == 1
                        && snapshots.values().stream().map(s -> s.versions().get(table).get(id)).distinct().count() == 1;
                if (!same && differing++ < MAX_REPORTED) {
                    StringBuilder detail = new StringBuilder();
                    snapshots.values().forEach(s -> detail.append("\n      ").append(s.dc()).append(": row ")
                            .append(Objects.toString(s.rows().get(table).get(id), "none")).append(", version ")
                            .append(Objects.toString(s.versions().get(table).get(id), "none")));
                    violations.add("DCs diverge on " + table.tableName() + " id " + id + ":" + detail);
                }
            }
            if (differing > MAX_REPORTED) {
                violations.add("... and " + (differing - MAX_REPORTED) + " more rows of " + table.tableName()
                        + " diverge");
            }
        }
        return violations;
    }
}
