package io.concord.replicator.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The versions capture gave the writes are a faithful causal history, whatever the clocks said:
 * <ul>
 *   <li>each write names its own DC as writer, and the writes of one DC to one row count 1, 2, ... n in that
 *       DC's entry of the vector, without gap or repeat (a gap is a write versioned from a stale state);</li>
 *   <li>no two writes carry the same vector;</li>
 *   <li>a write that has seen another carries the larger {@code (hlc, dc)}: the hybrid logical clock keeps
 *       causality even on a DC whose clock is skewed.</li>
 * </ul>
 */
final class CausalityCheck {

    private static final int MAX_REPORTED = 20;

    private CausalityCheck() {
    }

    static List<String> check(RowHistories histories) {
        List<String> violations = new ArrayList<>();
        histories.rows().forEach((row, writes) -> {
            Map<String, List<Long>> counters = new TreeMap<>();
            for (RowHistories.Versioned w : writes) {
                if (!w.version().dc().equals(w.write().dc())) {
                    violations.add(row + ": " + w + " names " + w.version().dc() + " as its writer");
                }
                counters.computeIfAbsent(w.write().dc(), d -> new ArrayList<>())
                        .add(w.version().vector().getOrDefault(w.write().dc(), 0L));
            }
            counters.forEach((dc, seen) -> {
                List<Long> sorted = seen.stream().sorted().toList();
                for (int i = 0; i < sorted.size(); i++) {
                    if (sorted.get(i) != i + 1) {
                        violations.add(row + ": DC " + dc + "'s " + sorted.size() + " writes carry counters " + sorted
                                + " instead of 1.." + sorted.size() + "; its writes:" + RowHistories.describe(writes, 30));
                        break;
                    }
                }
            });
            for (RowHistories.Versioned a : writes) {
                for (RowHistories.Versioned b : writes) {
                    if (a == b) {
                        continue;
                    }
                    Version.Order order = a.version().compare(b.version());
                    if (order == Version.Order.EQUAL && a.write().seq() < b.write().seq()) {
                        violations.add(row + ": two writes carry the same vector: " + a + " and " + b);
                    } else if (order == Version.Order.BEFORE && Version.TIMESTAMP.compare(a.version(), b.version()) >= 0) {
                        violations.add(row + ": causality broken by the clock: " + b + " has seen " + a
                                + " yet does not carry a later (hlc, dc)");
                    }
                }
            }
        });
        return violations.size() > MAX_REPORTED ? violations.subList(0, MAX_REPORTED) : violations;
    }
}
