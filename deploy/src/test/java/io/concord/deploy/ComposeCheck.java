package io.concord.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.concord.replicator.config.ConcordConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compose file: every image pinned or built from a context that exists, every bind mount's source there,
 * every dependency a service of the file, no secret written inline, every {@code ${VAR}} given by
 * {@code .env.example}; and for each Concord service, a concord.yaml mounted where the image reads it that
 * passes Concord's validation with the service's environment, whose PostgreSQL and Kafka are services of the
 * file on the ports they listen on, whose http.port is the one published and health-checked, and whose peers
 * are the other DCs of the file; every Kafka broker retries a transaction's first produce after 1 ms.
 */
final class ComposeCheck {

    static final String ENV_EXAMPLE = ".env.example";
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN).*");
    /** Read by the JVM or the image, not by concord.yaml. */
    private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    /** A DC's Concord in the file. */
    record ConcordService(String service, ConcordConfig config) {
    }

    /** What the file runs, for the checks that look across files. */
    record Deployment(String where, List<ComposeFile.Service> services, Map<String, ConcordService> concordByDc,
            Set<String> concordImages, Map<String, String> variables) {

        ComposeFile.Service service(String name) {
            return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        }

        /** Whether service {@code host} is a Kafka broker advertising {@code host:port}. */
        boolean advertises(String host, int port) {
            ComposeFile.Service service = service(host);
            return service != null && service.rawEnvironment().getOrDefault("KAFKA_ADVERTISED_LISTENERS", "")
                    .contains("//" + host + ":" + port);
        }
    }

    private ComposeCheck() {
    }

    static Deployment check(DeployTree tree, String fileName, DockerfileCheck.Image image, Problems problems)
            throws IOException {
        Path file = tree.file(fileName);
        String where = tree.name(file);
        Map<String, String> variables = envExample(tree);
        JsonNode root = tree.yaml(file).get(0);
        List<ComposeFile.Service> services = ComposeFile.services(root);
        Set<String> names = new HashSet<>();
        services.forEach(s -> names.add(s.name()));
        Set<String> volumes = new HashSet<>();
        root.path("volumes").fieldNames().forEachRemaining(volumes::add);

        Set<String> concordImages = new TreeSet<>();
        Map<String, ConcordService> concord = new TreeMap<>();
        for (ComposeFile.Service service : services) {
            String at = where + " services." + service.name();
            checkService(tree, file, service, names, volumes, variables, at, problems);
            if (buildsConcord(tree, file, service)) {
                concordImages.add(service.node().path("image").asText());
            }
        }
        for (ComposeFile.Service service : services) {
            if (buildsConcord(tree, file, service) || concordImages.contains(service.node().path("image").asText())) {
                ConcordService dc = concordService(tree, file, service, variables, image,
                        where + " services." + service.name(), problems);
                if (dc != null && concord.put(dc.config().dc(), dc) != null) {
                    problems.add(where, "two Concord services for DC " + dc.config().dc());
                }
            }
        }
        Deployment deployment = new Deployment(where, services, concord, concordImages, variables);
        concord.values().forEach(dc -> checkConnections(deployment, dc, problems));
        concord.values().forEach(dc -> {
            Set<String> others = new TreeSet<>(concord.keySet());
            others.remove(dc.config().dc());
            if (!new TreeSet<>(dc.config().peers()).equals(others)) {
                problems.add(where + " services." + dc.service(), "peers " + dc.config().peers()
                        + " are not the other DCs of this file " + others);
            }
        });
        if (concord.isEmpty()) {
            problems.add(where, "runs no Concord service (none built from deploy/" + DockerfileCheck.FILE + ")");
        }
        return deployment;
    }

    /** The retry of a produce that opens a transaction while the last one's markers are written (README, Benchmark). */
    static final String TXN_RETRY_BACKOFF = "KAFKA_ADD_PARTITIONS_TO_TXN_RETRY_BACKOFF_MS";

    private static void checkService(DeployTree tree, Path file, ComposeFile.Service service, Set<String> names,
            Set<String> volumes, Map<String, String> variables, String at, Problems problems) {
        if (service.rawEnvironment().containsKey("KAFKA_PROCESS_ROLES")
                && !"1".equals(service.rawEnvironment().get(TXN_RETRY_BACKOFF))) {
            problems.add(at, "is a Kafka broker without " + TXN_RETRY_BACKOFF + ": 1 (its default, 20 ms, stalls"
                    + " capture's batches that open right after a commit)");
        }
        JsonNode build = service.node().path("build");
        String imageName = service.node().path("image").asText("");
        if (!build.isMissingNode()) {
            Path context = file.getParent().resolve(build.isTextual() ? build.asText() : build.path("context").asText("."))
                    .normalize();
            Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
            if (!Files.isDirectory(context)) {
                problems.add(at, "build context " + context + " does not exist");
            } else if (!Files.isRegularFile(dockerfile)) {
                problems.add(at, "build dockerfile " + tree.name(dockerfile) + " does not exist");
            }
        } else if (imageName.isEmpty()) {
            problems.add(at, "has neither image nor build");
        } else if (!imageName.contains(":") || imageName.endsWith(":latest")) {
            problems.add(at, "image " + imageName + " is not pinned to a version tag");
        }
        for (String dependency : service.dependsOn()) {
            if (!names.contains(dependency)) {
                problems.add(at, "depends_on " + dependency + ", which is not a service of this file");
            }
        }
        for (ComposeFile.Mount mount : service.mounts()) {
            if (mount.isBind() && !Files.exists(file.getParent().resolve(mount.source()))) {
                problems.add(at, "mounts " + mount.source() + ", which does not exist");
            } else if (!mount.isBind() && !volumes.contains(mount.source())) {
                problems.add(at, "uses volume " + mount.source() + ", which the file does not declare");
            }
        }
        service.rawEnvironment().forEach((name, raw) -> {
            if (SECRET_NAME.matcher(name).matches() && !ComposeFile.isInterpolation(raw)) {
                problems.add(at, "environment " + name + " is a secret written inline; take it from deploy/.env"
                        + " (${VARIABLE})");
            }
            List<String> missing = new ArrayList<>();
            ComposeFile.interpolate(raw, variables, missing);
            missing.forEach(variable -> problems.add(at, "environment " + name + " needs ${" + variable
                    + "}, which deploy/" + ENV_EXAMPLE + " does not define"));
        });
    }

    private static boolean buildsConcord(DeployTree tree, Path file, ComposeFile.Service service) {
        JsonNode build = service.node().path("build");
        if (build.isMissingNode()) {
            return false;
        }
        Path context = file.getParent().resolve(build.isTextual() ? build.asText() : build.path("context").asText("."));
        return context.resolve(build.path("dockerfile").asText("Dockerfile")).normalize()
                .equals(tree.file(DockerfileCheck.FILE).normalize());
    }

    private static ConcordService concordService(DeployTree tree, Path file, ComposeFile.Service service,
            Map<String, String> variables, DockerfileCheck.Image image, String at, Problems problems) {
        ComposeFile.Mount config = service.mounts().stream().filter(m -> m.target().equals(image.configPath()))
                .findFirst().orElse(null);
        if (config == null) {
            problems.add(at, "mounts no concord.yaml at " + image.configPath() + ", where the image's CMD reads it");
            return null;
        }
        Path configFile = file.getParent().resolve(config.source()).normalize();
        if (!Files.isRegularFile(configFile)) {
            return null; // reported with the mounts
        }
        String yaml = tree.text(configFile);
        Map<String, String> environment = new LinkedHashMap<>();
        service.rawEnvironment().forEach((name, raw) -> environment.put(name,
                ComposeFile.interpolate(raw, variables, new ArrayList<>())));
        String where = at + " (" + tree.name(configFile) + ")";
        ConcordConfig loaded = ConcordYamlCheck.check(where, yaml, environment, problems);
        Set<String> used = ConcordYamlCheck.references(yaml).keySet();
        environment.keySet().stream()
                .filter(name -> !used.contains(name) && !JVM_VARIABLES.contains(name)
                        && !name.equals(image.healthPortVariable()))
                .forEach(name -> problems.add(at, "environment " + name + " is not used by " + tree.name(configFile)));
        if (loaded == null) {
            return null;
        }
        int httpPort = loaded.http().port();
        if (!service.containerPorts().contains(httpPort)) {
            problems.add(at, "publishes container ports " + service.containerPorts() + ", not http.port " + httpPort
                    + " of " + tree.name(configFile));
        }
        String healthPort = image.healthPortVariable() == null ? null : environment.get(image.healthPortVariable());
        int checked = healthPort != null ? Integer.parseInt(healthPort) : image.healthPort();
        if (checked != httpPort) {
            problems.add(at, "the image's health check asks port " + checked + ", but http.port is " + httpPort
                    + (image.healthPortVariable() == null ? "" : "; set " + image.healthPortVariable()));
        }
        return new ConcordService(service.name(), loaded);
    }

    /** The DC's PostgreSQL and Kafka must be services of the file, reached as they listen. */
    private static void checkConnections(Deployment deployment, ConcordService dc, Problems problems) {
        String at = deployment.where() + " services." + dc.service();
        ComposeFile.Service self = deployment.service(dc.service());
        Matcher url = JDBC.matcher(dc.config().postgres().url());
        if (!url.matches()) {
            problems.add(at, "postgres.url " + dc.config().postgres().url() + " names no host and database");
        } else {
            ComposeFile.Service postgres = deployment.service(url.group(1));
            int port = url.group(2) == null ? 5432 : Integer.parseInt(url.group(2));
            if (postgres == null) {
                problems.add(at, "postgres.url names host " + url.group(1) + ", which is not a service of this file");
            } else {
                Map<String, String> env = postgres.rawEnvironment();
                if (port != 5432) {
                    problems.add(at, "postgres.url port " + port + ": " + url.group(1) + " listens on 5432");
                }
                if (!url.group(3).equals(env.get("POSTGRES_DB"))) {
                    problems.add(at, "postgres.url database " + url.group(3) + " is not " + url.group(1)
                            + "'s POSTGRES_DB " + env.get("POSTGRES_DB"));
                }
                if (!dc.config().postgres().user().equals(env.get("POSTGRES_USER"))) {
                    problems.add(at, "postgres.user " + dc.config().postgres().user() + " is not " + url.group(1)
                            + "'s POSTGRES_USER " + env.get("POSTGRES_USER"));
                }
                String serverPassword = ComposeFile.interpolate(env.getOrDefault("POSTGRES_PASSWORD", ""),
                        deployment.variables(), new ArrayList<>());
                if (!serverPassword.equals(dc.config().postgres().password())) {
                    problems.add(at, "its postgres.password is not the one " + url.group(1)
                            + " is created with (POSTGRES_PASSWORD " + env.get("POSTGRES_PASSWORD") + ")");
                }
                requireDependency(at, self, url.group(1), problems);
            }
        }
        for (String server : dc.config().kafka().bootstrapServers().split(",")) {
            String[] hostPort = server.trim().split(":");
            if (hostPort.length != 2 || !deployment.advertises(hostPort[0], Integer.parseInt(hostPort[1]))) {
                problems.add(at, "kafka.bootstrap-servers " + server.trim() + " is not a Kafka service of this file"
                        + " advertising that address (KAFKA_ADVERTISED_LISTENERS)");
            } else {
                requireDependency(at, self, hostPort[0], problems);
            }
        }
    }

    private static void requireDependency(String at, ComposeFile.Service service, String dependency, Problems problems) {
        if (!service.dependsOn().contains(dependency)) {
            problems.add(at, "does not depend_on " + dependency + ", which it connects to");
        }
    }

    /** The variables of .env.example, as compose reads deploy/.env. */
    static Map<String, String> envExample(DeployTree tree) {
        Map<String, String> variables = new TreeMap<>();
        Path file = tree.file(ENV_EXAMPLE);
        if (Files.isRegularFile(file)) {
            tree.text(file).lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .forEach(line -> {
                        int equals = line.indexOf('=');
                        if (equals > 0) {
                            variables.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
                        }
                    });
        }
        return variables;
    }
}
