package io.concord.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.config.ConfigError;
import io.concord.replicator.config.ConfigKey;
import io.concord.replicator.config.ConfigKeys;
import io.concord.replicator.config.ConfigLoader;
import io.concord.replicator.config.InvalidConfigException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One concord.yaml as a deployment hands it to {@code concord run}: with the environment the deployment gives
 * the process, it must pass Concord's own {@link ConfigLoader}, use only keys of {@link ConfigKeys}, and take
 * every secret from the environment rather than hold it.
 */
final class ConcordYamlCheck {

    /** {@code ${NAME}} or {@code ${NAME:-default}}, as Concord substitutes them. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");
    private static final Pattern WHOLE_REFERENCE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*}");
    /** Keys whose value is a mapping of the user's own keys. */
    private static final Set<String> OPEN_MAPPINGS = Set.of(ConfigKeys.KAFKA_PROPERTIES.path(),
            ConfigKeys.TABLE_RESOLVER.path());

    private ConcordYamlCheck() {
    }

    /** Every environment variable the file refers to, each with whether it has a default. */
    static Map<String, Boolean> references(String yaml) {
        Map<String, Boolean> names = new TreeMap<>();
        Matcher matcher = REFERENCE.matcher(yaml);
        while (matcher.find()) {
            names.merge(matcher.group(1), matcher.group(2) != null, Boolean::logicalAnd);
        }
        return names;
    }

    /**
     * Checks {@code yaml} as the process started by {@code where} would read it, with {@code environment}.
     *
     * @return the loaded config, or null when it does not load
     */
    static ConcordConfig check(String where, String yaml, Map<String, String> environment, Problems problems) {
        references(yaml).forEach((name, hasDefault) -> {
            if (!hasDefault && !environment.containsKey(name)) {
                problems.add(where, "its concord.yaml needs ${" + name + "}, and the environment does not set "
                        + name);
            }
        });
        JsonNode raw;
        try {
            raw = DeployTree.parseYaml(yaml);
        } catch (IOException e) {
            problems.add(where, "its concord.yaml is not YAML: " + e.getMessage());
            return null;
        }
        unknownKeys(where, raw, "", problems);
        inlineSecrets(where, raw, problems);
        try {
            return new ConfigLoader(environment::get).parse(yaml);
        } catch (InvalidConfigException e) {
            for (ConfigError error : e.errors()) {
                problems.add(where, "concord.yaml fails Concord's validation: " + error);
            }
            return null;
        }
    }

    private static void unknownKeys(String where, JsonNode node, String path, Problems problems) {
        if (node.isArray()) {
            node.forEach(item -> unknownKeys(where, item, path + "[]", problems));
            return;
        }
        if (!node.isObject() || OPEN_MAPPINGS.contains(path)) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (!isKeyOrSection(child)) {
                problems.add(where, "concord.yaml key '" + child + "' is not a Concord config key (known: "
                        + ConfigKeys.ALL.stream().map(ConfigKey::path).collect(Collectors.joining(", ")) + ")");
            } else {
                unknownKeys(where, field.getValue(), child, problems);
            }
        }
    }

    private static boolean isKeyOrSection(String path) {
        return ConfigKeys.ALL.stream().anyMatch(key -> key.path().equals(path) || key.path().equals(path + "[]")
                || key.path().startsWith(path + ".") || key.path().startsWith(path + "[]."));
    }

    /** A password, and any Kafka property Concord would mask, must be a ${VAR} reference. */
    private static void inlineSecrets(String where, JsonNode raw, Problems problems) {
        JsonNode password = raw.path("postgres").path("password");
        if (!password.isMissingNode() && !password.isNull() && !WHOLE_REFERENCE.matcher(password.asText()).matches()) {
            problems.add(where, "postgres.password is written in concord.yaml; take it from the environment"
                    + " (${NAME})");
        }
        Set<String> secretProperties = new TreeSet<>();
        raw.path("kafka").path("properties").properties().forEach(property -> {
            if (isSecretKey(property.getKey()) && !WHOLE_REFERENCE.matcher(property.getValue().asText()).matches()) {
                secretProperties.add(property.getKey());
            }
        });
        secretProperties.forEach(key -> problems.add(where, "kafka.properties." + key
                + " is a secret written in concord.yaml; take it from the environment (${NAME})"));
    }

    /** The same rule as Concord's masking of Kafka properties in logs. */
    private static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("jaas")
                || lower.contains("token") || lower.endsWith(".key");
    }
}
