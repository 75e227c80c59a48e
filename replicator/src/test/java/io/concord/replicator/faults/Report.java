package io.concord.replicator.faults;

import java.util.List;

/** The short printed report of a scenario, and the message a failing one fails with. */
final class Report {

    private Report() {
    }

    static String of(ScenarioResult r) {
        StringBuilder text = new StringBuilder();
        text.append("\n=== fault scenario '").append(r.name()).append("' (seed ").append(r.seed()).append(") ===\n");
        text.append("faults:          ").append(r.faults().isEmpty() ? "none" : r.faults()).append('\n');
        r.faultLog().forEach(line -> text.append("                 ").append(line).append('\n'));
        text.append(String.format("writes:          %d committed row writes (%d transactions committed, %d in doubt"
                        + " -> %d committed, %d aborted; %d failed before commit)%n", r.writes(),
                r.workload().committed(), r.workload().inDoubt(), r.settled()[0], r.settled()[1], r.workload().failed()));
        text.append("events:          published so far per DC ").append(r.events()).append('\n');
        text.append(String.format("converged:       %s in %.1f s after the load stopped and every fault healed%n",
                r.converged() ? "yes" : "NO", r.convergeTime().toMillis() / 1000.0));
        text.append(String.format("max lag:         %.1f s (%s)%n", r.maxLagMillis() / 1000.0, r.maxLagWhere()));
        text.append(String.format("conflicts:       %d distinct on record_items %s; rows per DC %s; concurrent write"
                        + " pairs %d, each separated by a recorded conflict%n", r.conflicts().distinct(),
                r.conflicts().byType(), r.conflicts().rowsPerDc(), r.conflicts().concurrentPairs()));
        text.append("dead letters:    per DC so far ").append(r.deadLetters()).append('\n');
        r.extra().forEach(line -> text.append(line).append('\n'));
        if (r.violations().isEmpty()) {
            text.append("checks:          all passed (converged, nothing lost, causality, conflicts, dead letters)\n");
        } else {
            text.append("VIOLATIONS (").append(r.violations().size()).append("):\n");
            r.violations().forEach(v -> text.append("  - ").append(v).append('\n'));
        }
        return text.toString();
    }

    /** The failure message: the violations, and how to replay the run. */
    static String failure(ScenarioResult r, String replay) {
        return "scenario '" + r.name() + "' broke Concord's guarantees; replay with " + replay
                + " (logs of the replicators in the report above)\n" + String.join("\n", violationsHead(r.violations()));
    }

    private static List<String> violationsHead(List<String> violations) {
        return violations.size() > 20 ? violations.subList(0, 20) : violations;
    }
}
