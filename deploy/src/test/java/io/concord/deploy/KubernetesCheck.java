package io.concord.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.replicator.config.ConcordConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests under {@code deploy/k8s}: every file listed in the kustomization; per DC a
 * Deployment of two replicas running the image compose builds, reading a concord.yaml from its ConfigMap at the
 * path the command names, which passes Concord's validation with the container's environment; passwords
 * from Secrets only; liveness on {@code /health} and readiness on {@code /ready}, Prometheus annotations and
 * the container port all on http.port; resource requests set. The example Secrets hold placeholders only.
 */
final class KubernetesCheck {

    static final String DIRECTORY = "k8s";
    static final String SECRETS_EXAMPLE = "secrets.example.yaml";
    static final String PLACEHOLDER = "CHANGE_ME";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN).*");
    private static final Pattern QUANTITY = Pattern.compile("(\\d+)(Ki|Mi|Gi)?");
    private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    private record Manifest(String where, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }
    }

    private KubernetesCheck() {
    }

    static void check(DeployTree tree, Set<String> images, DockerfileCheck.Image image, Problems problems)
            throws IOException {
        Path directory = tree.file(DIRECTORY);
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        List<Manifest> manifests = new ArrayList<>();
        Map<String, String> secretValues = new HashMap<>();
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                checkKustomization(tree, file, files, problems);
                continue;
            }
            for (JsonNode document : tree.yaml(file)) {
                Manifest manifest = new Manifest(tree.name(file) + " " + document.path("kind").asText() + "/"
                        + document.path("metadata").path("name").asText(), document);
                if (file.getFileName().toString().equals(SECRETS_EXAMPLE)) {
                    checkExampleSecret(manifest, secretValues, problems);
                } else {
                    manifests.add(manifest);
                }
            }
        }
        Map<String, ConcordConfig> byDc = new TreeMap<>();
        for (Manifest deployment : manifests.stream().filter(m -> m.kind().equals("Deployment")).toList()) {
            ConcordConfig config = checkDeployment(deployment, manifests, secretValues, images, image, problems);
            if (config != null && byDc.put(config.dc(), config) != null) {
                problems.add(deployment.where(), "a second Deployment for DC " + config.dc());
            }
        }
        if (byDc.isEmpty()) {
            problems.add(tree.name(directory), "no Concord Deployment");
        }
        byDc.forEach((dc, config) -> {
            Set<String> others = new TreeSet<>(byDc.keySet());
            others.remove(dc);
            if (!new TreeSet<>(config.peers()).equals(others)) {
                problems.add(tree.name(directory), "DC " + dc + "'s peers " + config.peers()
                        + " are not the other DCs of the manifests " + others);
            }
        });
    }

    private static void checkKustomization(DeployTree tree, Path file, List<Path> files, Problems problems)
            throws IOException {
        Set<String> resources = new TreeSet<>();
        tree.yaml(file).get(0).path("resources").forEach(r -> resources.add(r.asText()));
        for (String resource : resources) {
            if (!Files.exists(file.getParent().resolve(resource))) {
                problems.add(tree.name(file), "resource " + resource + " does not exist");
            }
        }
        for (Path manifest : files) {
            String name = manifest.getFileName().toString();
            if (!name.equals("kustomization.yaml") && !name.equals(SECRETS_EXAMPLE) && !resources.contains(name)) {
                problems.add(tree.name(file), name + " is not among its resources");
            }
        }
    }

    private static void checkExampleSecret(Manifest secret, Map<String, String> values, Problems problems) {
        if (!secret.kind().equals("Secret")) {
            problems.add(secret.where(), "only Secrets belong in " + SECRETS_EXAMPLE);
            return;
        }
        if (secret.node().has("data")) {
            problems.add(secret.where(), "holds data; an example Secret holds placeholders in stringData only");
        }
        secret.node().path("stringData").properties().forEach(entry -> {
            if (!entry.getValue().asText().equals(PLACEHOLDER)) {
                problems.add(secret.where(), "stringData." + entry.getKey() + " is not the placeholder " + PLACEHOLDER
                        + ": a real secret must not be committed");
            }
            values.put(secret.name() + "/" + entry.getKey(), entry.getValue().asText());
        });
    }

    private static ConcordConfig checkDeployment(Manifest deployment, List<Manifest> manifests,
            Map<String, String> secrets, Set<String> images, DockerfileCheck.Image image, Problems problems) {
        String at = deployment.where();
        JsonNode spec = deployment.node().path("spec");
        if (spec.path("replicas").asInt() != 2) {
            problems.add(at, "replicas is " + spec.path("replicas") + "; expected 2 (one active capture, one standby)");
        }
        JsonNode template = spec.path("template");
        spec.path("selector").path("matchLabels").properties().forEach(label -> {
            if (!label.getValue().equals(template.path("metadata").path("labels").path(label.getKey()))) {
                problems.add(at, "the selector's label " + label.getKey() + " is not on the pod template");
            }
        });
        JsonNode container = template.path("spec").path("containers").path(0);
        if (!images.contains(container.path("image").asText())) {
            problems.add(at, "image " + container.path("image").asText() + " is not the image compose builds from"
                    + " deploy/" + DockerfileCheck.FILE + " " + images);
        }
        String configPath = configPath(container.path("args"));
        if (configPath == null) {
            problems.add(at, "args must be [run, --config, PATH], got " + container.path("args"));
            return null;
        }
        String yaml = mountedConfig(at, configPath, container, template.path("spec").path("volumes"), manifests, problems);
        Map<String, String> environment = environment(at, container, secrets, problems);
        if (yaml == null) {
            return null;
        }
        ConcordConfig config = ConcordYamlCheck.check(at + " (its ConfigMap's concord.yaml)", yaml, environment, problems);
        Set<String> used = ConcordYamlCheck.references(yaml).keySet();
        environment.keySet().stream().filter(name -> !used.contains(name) && !JVM_VARIABLES.contains(name)
                        && !name.equals(image.healthPortVariable()))
                .forEach(name -> problems.add(at, "environment " + name + " is not used by its concord.yaml"));
        if (config != null) {
            checkPorts(at, config.http().port(), container, template.path("metadata").path("annotations"), problems);
        }
        checkResources(at, container.path("resources"), problems);
        return config;
    }

    private static String configPath(JsonNode args) {
        List<String> words = new ArrayList<>();
        args.forEach(word -> words.add(word.asText()));
        return words.size() == 3 && words.get(0).equals("run") && words.get(1).equals("--config") ? words.get(2) : null;
    }

    /** The text the container finds at {@code path}: a ConfigMap key mounted there. */
    private static String mountedConfig(String at, String path, JsonNode container, JsonNode volumes,
            List<Manifest> manifests, Problems problems) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String mountPath = mount.path("mountPath").asText();
            if (!path.startsWith(mountPath + "/")) {
                continue;
            }
            String file = path.substring(mountPath.length() + 1);
            for (JsonNode volume : volumes) {
                if (!volume.path("name").asText().equals(mount.path("name").asText())
                        || volume.path("configMap").isMissingNode()) {
                    continue;
                }
                String configMap = volume.path("configMap").path("name").asText();
                String key = file;
                for (JsonNode item : volume.path("configMap").path("items")) {
                    if (item.path("path").asText().equals(file)) {
                        key = item.path("key").asText();
                    }
                }
                Manifest map = manifests.stream().filter(m -> m.kind().equals("ConfigMap") && m.name().equals(configMap))
                        .findFirst().orElse(null);
                if (map == null || !map.node().path("data").has(key)) {
                    problems.add(at, "mounts ConfigMap " + configMap + " key " + key + " at " + path
                            + ", and the manifests have no such ConfigMap key");
                    return null;
                }
                return map.node().path("data").path(key).asText();
            }
        }
        problems.add(at, "nothing is mounted at " + path + ", where the container reads its concord.yaml");
        return null;
    }

    /** The container's environment: plain values, and Secret values (the example placeholders). */
    private static Map<String, String> environment(String at, JsonNode container, Map<String, String> secrets,
            Problems problems) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode secretRef = variable.path("valueFrom").path("secretKeyRef");
            if (variable.has("value")) {
                if (SECRET_NAME.matcher(name).matches()) {
                    problems.add(at, "environment " + name + " is a secret written inline; take it from a Secret"
                            + " (valueFrom.secretKeyRef)");
                }
                environment.put(name, variable.path("value").asText());
            } else if (!secretRef.isMissingNode()) {
                String reference = secretRef.path("name").asText() + "/" + secretRef.path("key").asText();
                if (!secrets.containsKey(reference)) {
                    problems.add(at, "environment " + name + " comes from Secret key " + reference + ", which "
                            + SECRETS_EXAMPLE + " does not show");
                }
                environment.put(name, secrets.getOrDefault(reference, PLACEHOLDER));
            }
        }
        return environment;
    }

    private static void checkPorts(String at, int httpPort, JsonNode container, JsonNode annotations,
            Problems problems) {
        Map<String, Integer> named = new HashMap<>();
        List<Integer> ports = new ArrayList<>();
        container.path("ports").forEach(port -> {
            ports.add(port.path("containerPort").asInt());
            named.put(port.path("name").asText(), port.path("containerPort").asInt());
        });
        if (!ports.contains(httpPort)) {
            problems.add(at, "container ports " + ports + " do not include http.port " + httpPort);
        }
        Map<String, String> probes = Map.of("livenessProbe", "/health", "readinessProbe", "/ready");
        probes.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            if (!get.path("path").asText().equals(path)) {
                problems.add(at, probe + " must GET " + path + ", got " + get.path("path").asText("(none)"));
            }
            JsonNode port = get.path("port");
            int resolved = port.isInt() ? port.asInt() : named.getOrDefault(port.asText(), -1);
            if (resolved != httpPort) {
                problems.add(at, probe + " asks port " + port.asText() + ", not http.port " + httpPort);
            }
        });
        if (!annotations.path("prometheus.io/scrape").asText().equals("true")) {
            problems.add(at, "the pod template lacks the annotation prometheus.io/scrape: \"true\"");
        }
        if (!annotations.path("prometheus.io/port").asText().equals(String.valueOf(httpPort))) {
            problems.add(at, "annotation prometheus.io/port is " + annotations.path("prometheus.io/port").asText("(none)")
                    + ", not http.port " + httpPort);
        }
        if (!annotations.path("prometheus.io/path").asText().equals("/metrics")) {
            problems.add(at, "annotation prometheus.io/path must be /metrics");
        }
    }

    private static void checkResources(String at, JsonNode resources, Problems problems) {
        JsonNode requests = resources.path("requests");
        if (requests.path("cpu").isMissingNode() || requests.path("memory").isMissingNode()) {
            problems.add(at, "resources.requests must set cpu and memory");
            return;
        }
        long request = bytes(requests.path("memory").asText());
        JsonNode limit = resources.path("limits").path("memory");
        if (limit.isMissingNode() || bytes(limit.asText()) < request) {
            problems.add(at, "resources.limits.memory must be set and at least the request " + requests.path("memory")
                    .asText() + " (the heap follows the limit)");
        }
    }

    private static long bytes(String quantity) {
        Matcher matcher = QUANTITY.matcher(quantity);
        if (!matcher.matches()) {
            return -1;
        }
        long value = Long.parseLong(matcher.group(1));
        return matcher.group(2) == null ? value : switch (matcher.group(2)) {
            case "Ki" -> value << 10;
            case "Mi" -> value << 20;
            default -> value << 30;
        };
    }
}
