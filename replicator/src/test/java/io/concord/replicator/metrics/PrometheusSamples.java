package io.concord.replicator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The samples of a Prometheus text exposition, parsed so that tests can ask for one by name and labels. */
record PrometheusSamples(List<Sample> samples) {

    /** One line: {@code name{label="value",...} number}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static PrometheusSamples parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new PrometheusSamples(samples);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        Map<String, String> labels = new LinkedHashMap<>();
        int at;
        String name;
        if (brace < 0) {
            at = line.indexOf(' ');
            name = line.substring(0, at);
        } else {
            name = line.substring(0, brace);
            at = brace + 1;
            while (line.charAt(at) != '}') {
                int equals = line.indexOf('=', at);
                String label = line.substring(at, equals);
                StringBuilder value = new StringBuilder();
                at = equals + 2; // past ="
                while (line.charAt(at) != '"') {
                    char c = line.charAt(at++);
                    value.append(c == '\\' ? unescape(line.charAt(at++)) : c);
                }
                labels.put(label, value.toString());
                at++;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        String[] rest = line.substring(at).trim().split(" ");
        double value = switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(rest[0]);
        };
        return new Sample(name, labels, value);
    }

    private static char unescape(char c) {
        return c == 'n' ? '\n' : c;
    }

    /** The samples of {@code name} whose labels include {@code labels}. */
    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The value of the one sample of {@code name} with {@code labels}, if there is exactly one. */
    Optional<Double> value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        return found.size() == 1 ? Optional.of(found.get(0).value()) : Optional.empty();
    }
}
