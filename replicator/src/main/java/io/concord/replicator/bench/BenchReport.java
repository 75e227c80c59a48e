package io.concord.replicator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's results, as a table for people (median, min and max over the repetitions, and the ratio of
 * Concord's median to native's) and as JSON for tools (the same, plus every repetition's value and how each
 * number was measured).
 */
final class BenchReport {

    private static final String FORMAT = "  %-34s %-7s %-6s %-8s %12s %12s %12s %15s%n";

    private final Map<String, Object> environment;
    private final List<ScenarioResult> results;

    BenchReport(Map<String, Object> environment, List<ScenarioResult> results) {
        this.environment = environment;
        this.results = results;
    }

    void printTable(PrintWriter out) {
        out.println("Concord bench: " + environment.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .reduce((x, y) -> x + ", " + y).orElse(""));
        out.printf(FORMAT, "metric", "unit", "better", "system", "median", "min", "max", "concord/native");
        for (ScenarioResult result : results) {
            out.println(result.title() + (result.error() == null ? "" : "  FAILED: " + result.error()));
            for (ScenarioResult.Metric metric : result.metrics()) {
                boolean first = true;
                for (Map.Entry<String, List<Double>> series : metric.bySystem().entrySet()) {
                    List<Double> values = series.getValue();
                    out.printf(FORMAT, first ? metric.name() : "", first ? metric.unit() : "",
                            first ? (metric.higherIsBetter() ? "higher" : "lower") : "", series.getKey(),
                            number(Samples.median(values)), number(Samples.min(values)), number(Samples.max(values)),
                            series.getKey().equals("concord") ? ratio(metric) : "");
                    first = false;
                }
            }
        }
        out.flush();
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        List<Object> scenarios = new ArrayList<>();
        for (ScenarioResult result : results) {
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("id", result.id());
            scenario.put("title", result.title());
            scenario.put("parameters", result.parameters());
            List<Object> metrics = new ArrayList<>();
            for (ScenarioResult.Metric metric : result.metrics()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", metric.name());
                entry.put("unit", metric.unit());
                entry.put("better", metric.higherIsBetter() ? "higher" : "lower");
                Map<String, Object> systems = new LinkedHashMap<>();
                metric.bySystem().forEach((system, values) -> {
                    Map<String, Object> stats = new LinkedHashMap<>();
                    stats.put("median", json(Samples.median(values)));
                    stats.put("min", json(Samples.min(values)));
                    stats.put("max", json(Samples.max(values)));
                    stats.put("samples", values.stream().map(BenchReport::json).toList());
                    systems.put(system, stats);
                });
                entry.put("systems", systems);
                entry.put("concord_over_native", json(ratioValue(metric)));
                metrics.add(entry);
            }
            scenario.put("metrics", metrics);
            scenario.put("notes", result.notes());
            scenario.put("error", result.error());
            scenarios.add(scenario);
        }
        root.put("scenarios", scenarios);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static double ratioValue(ScenarioResult.Metric metric) {
        List<Double> concord = metric.bySystem().get("concord");
        List<Double> nativeValues = metric.bySystem().get("native");
        if (concord == null || nativeValues == null) {
            return Double.NaN;
        }
        return Samples.median(concord) / Samples.median(nativeValues);
    }

    private static String ratio(ScenarioResult.Metric metric) {
        double ratio = ratioValue(metric);
        return Double.isFinite(ratio) ? "%.2f".formatted(ratio) : "";
    }

    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        double magnitude = Math.abs(value);
        return magnitude >= 100 ? "%,.0f".formatted(value) : magnitude >= 10 ? "%.1f".formatted(value)
                : "%.2f".formatted(value);
    }

    /** JSON has no NaN or infinity: such a value is written as null. */
    private static Double json(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
