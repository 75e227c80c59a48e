package io.concord.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compose file's services read the way {@code docker compose} reads them: environment as a mapping or a
 * list, ports and volumes in short or long syntax, {@code ${VAR}} interpolated from the variables compose
 * would have (here: {@code .env.example}).
 */
final class ComposeFile {

    private static final Pattern INTERPOLATION =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    /** One service: its name and its node. */
    record Service(String name, JsonNode node) {

        /** The environment as written, before interpolation. */
        Map<String, String> rawEnvironment() {
            Map<String, String> environment = new LinkedHashMap<>();
            JsonNode node = this.node.path("environment");
            if (node.isObject()) {
                node.properties().forEach(e -> environment.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
            } else if (node.isArray()) {
                node.forEach(item -> {
                    String text = item.asText();
                    int equals = text.indexOf('=');
                    environment.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : text.substring(equals + 1));
                });
            }
            return environment;
        }

        List<String> dependsOn() {
            JsonNode node = this.node.path("depends_on");
            List<String> names = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(item -> names.add(item.asText()));
            } else if (node.isObject()) {
                node.fieldNames().forEachRemaining(names::add);
            }
            return names;
        }

        /** Container ports published to the host. */
        List<Integer> containerPorts() {
            List<Integer> ports = new ArrayList<>();
            node.path("ports").forEach(port -> {
                if (port.isObject()) {
                    ports.add(port.path("target").asInt());
                } else {
                    String[] parts = port.asText().split(":");
                    ports.add(Integer.parseInt(parts[parts.length - 1].replaceAll("/.*", "")));
                }
            });
            return ports;
        }

        /** Volumes as (source, target) pairs; a bind mount's source starts with . or /. */
        List<Mount> mounts() {
            List<Mount> mounts = new ArrayList<>();
            node.path("volumes").forEach(volume -> {
                if (volume.isObject()) {
                    mounts.add(new Mount(volume.path("source").asText(), volume.path("target").asText()));
                } else {
                    String[] parts = volume.asText().split(":");
                    mounts.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0]));
                }
            });
            return mounts;
        }
    }

    /** A volume of a service. */
    record Mount(String source, String target) {
        boolean isBind() {
            return source.startsWith(".") || source.startsWith("/");
        }
    }

    private ComposeFile() {
    }

    static List<Service> services(JsonNode root) {
        List<Service> services = new ArrayList<>();
        root.path("services").properties().forEach(e -> services.add(new Service(e.getKey(), e.getValue())));
        return services;
    }

    /** Interpolates as compose does; a variable that is missing and has no default is reported to {@code missing}. */
    static String interpolate(String text, Map<String, String> variables, List<String> missing) {
        Matcher matcher = INTERPOLATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = variables.get(matcher.group(1));
                String operator = matcher.group(2);
                boolean unset = value == null || operator != null && operator.startsWith(":") && value.isEmpty();
                if (unset && operator != null && operator.endsWith("-")) {
                    replacement = matcher.group(3);
                } else if (unset) {
                    missing.add(matcher.group(1));
                    replacement = "";
                } else {
                    replacement = value;
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Whether the whole value is one interpolation (the way a secret must come in). */
    static boolean isInterpolation(String text) {
        Matcher matcher = INTERPOLATION.matcher(text.strip());
        return matcher.matches() && !matcher.group().equals("$$");
    }
}
