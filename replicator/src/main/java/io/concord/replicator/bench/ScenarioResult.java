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
    private final List<String> errors = new ArrayList<>();

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

    /** The scenario stopped: its remaining repetitions did not run. */
    void failed(Throwable failure) {
        errors.add(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    /** A run was measured but went wrong (a target not equal to its source): reported, and the scenario fails. */
    void problem(String problem) {
        errors.add(problem);
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

    /** What went wrong in the scenario, or null when every repetition ran and checked out. */
    String error() {
        return errors.isEmpty() ? null : String.join("; ", errors);
    }
}
