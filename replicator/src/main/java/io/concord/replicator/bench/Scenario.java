package io.concord.replicator.bench;

import java.util.List;
import java.util.Map;

/** One benchmark scenario: a repetition runs each system once, in an order that alternates between repetitions. */
interface Scenario {

    /** Short id used by {@code --only} and in the JSON. */
    String id();

    /** What the table calls it. */
    String title();

    /** Sizes and rates, for the JSON. */
    Map<String, Object> parameters();

    /** Runs repetition {@code repetition} (0-based), adding its values to {@code result}. */
    void run(int repetition, ScenarioResult result) throws Exception;

    /** Concord first in even repetitions, native first in odd ones, so that neither always runs on a warmer machine. */
    static List<String> order(int repetition) {
        return repetition % 2 == 0 ? List.of("concord", "native") : List.of("native", "concord");
    }
}
