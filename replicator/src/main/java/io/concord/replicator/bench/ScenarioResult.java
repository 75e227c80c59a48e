package io.concord.replicator.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario measured: for each metric and system, one value per repetition; and how it was measured. */
final class ScenarioResult {

    /** One metric of a scenario: its values per system ("concord", "native", "none"), in repetition order. */
    record Metric(String name, String unit, boolean higherIsBetter, Map<String, List<Double>> bySystem) {
    }

    private final String id;
    private final String title;
    private final Map<String, Object> parameters;
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String error;

    ScenarioResult(String id, String title, Map<String, Object> parameters) {
        this.id = id;
        this.title = title;
        this.parameters = parameters;
    }

    /** Adds one repetition's value of {@code metric} for {@code system}. */
    void add(String metric, String unit, boolean higherIsBetter, String system, double value) {
        metrics.computeIfAbsent(metric, name -> new Metric(name, unit, higherIsBetter, new LinkedHashMap<>()))
                .bySystem().computeIfAbsent(system, s -> new ArrayList<>()).add(value);
    }

    /** A line saying how something was measured, once per scenario. */
    void note(String note) {
        if (!notes.contains(note)) {
            notes.add(note);
        }
    }

    void failed(Throwable failure) {
        error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    Map<String, Object> parameters() {
        return parameters;
    }

    List<Metric> metrics() {
        return List.copyOf(metrics.values());
    }

    List<String> notes() {
        return notes;
    }

    /** Why the scenario stopped, or null when every repetition ran. */
    String error() {
        return error;
    }
}
