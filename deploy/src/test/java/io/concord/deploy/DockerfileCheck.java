package io.concord.deploy;

import io.concord.replicator.cli.ConcordCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deploy/Dockerfile}, read instruction by instruction: a multi-stage build whose every copied path
 * exists (every module's pom among them, since Maven reads the whole reactor), a JRE runtime stage run as a
 * non-root user, a health check on {@code /health}, and an entry point that is Concord's CLI. What the other
 * files must agree with (the config path, the health check's port) is returned as {@link Image}.
 */
final class DockerfileCheck {

    static final String FILE = "Dockerfile";
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern ENV = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
    private static final Pattern HEALTH_PORT = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\$\\{(\\w+)}|\\d+)");

    /**
     * What the image expects from whoever runs it.
     *
     * @param configPath where {@code concord run} reads its concord.yaml (the CMD)
     * @param healthPort the port the health check asks, unless the environment variable overrides it
     * @param healthPortVariable the variable that sets the health check's port, or null
     */
    record Image(String configPath, int healthPort, String healthPortVariable) {
    }

    private record Instruction(String keyword, String arguments) {
    }

    private DockerfileCheck() {
    }

    static Image check(DeployTree tree, Problems problems) {
        Path file = tree.file(FILE);
        String where = tree.name(file);
        if (!Files.isRegularFile(file)) {
            problems.add(where, "missing");
            return new Image("", 0, null);
        }
        List<List<Instruction>> stages = stages(tree.text(file));
        if (stages.size() < 2) {
            problems.add(where, "expected a multi-stage build (a Maven build stage, then a runtime stage), found "
                    + stages.size() + " stage(s)");
            return new Image("", 0, null);
        }
        List<Instruction> build = stages.get(0);
        List<Instruction> runtime = stages.get(stages.size() - 1);
        if (runtime.stream().noneMatch(i -> i.keyword().equals("FROM") && i.arguments().contains("-jre"))) {
            problems.add(where, "the runtime stage should start FROM a JRE image (a -jre tag), not "
                    + first(runtime, "FROM"));
        }
        if (build.stream().noneMatch(i -> i.keyword().equals("RUN") && i.arguments().contains("./mvnw"))) {
            problems.add(where, "the build stage does not build with ./mvnw");
        }
        List<String> copied = copiedSources(tree, stages, where, problems);
        for (String module : modules(tree)) {
            if (!copied.contains(module + "/pom.xml") && !copied.contains(module)) {
                problems.add(where, "module " + module + " (in the parent pom) is not copied: Maven reads every"
                        + " module of the reactor, so COPY " + module + "/pom.xml " + module + "/");
            }
        }
        String user = last(runtime, "USER");
        if (user == null || user.startsWith("root") || user.equals("0") || user.startsWith("0:")) {
            problems.add(where, "the runtime stage runs as " + (user == null ? "root (no USER)" : user)
                    + "; it must run as a non-root user");
        }
        String entrypoint = last(runtime, "ENTRYPOINT");
        if (entrypoint == null || !entrypoint.contains("\"" + ConcordCli.class.getName() + "\"")) {
            problems.add(where, "ENTRYPOINT must run " + ConcordCli.class.getName() + ", got " + entrypoint);
        }
        String configPath = configPath(last(runtime, "CMD"));
        if (configPath == null) {
            problems.add(where, "CMD must be [\"run\", \"--config\", PATH], got " + last(runtime, "CMD"));
        }
        return health(runtime, configPath, where, problems);
    }

    private static Image health(List<Instruction> runtime, String configPath, String where, Problems problems) {
        String healthcheck = last(runtime, "HEALTHCHECK");
        Map<String, String> env = new TreeMap<>();
        runtime.stream().filter(i -> i.keyword().equals("ENV")).forEach(i -> {
            Matcher matcher = ENV.matcher(i.arguments());
            while (matcher.find()) {
                env.put(matcher.group(1), matcher.group(2).replace("\"", ""));
            }
        });
        int port = 0;
        String variable = null;
        Matcher portMatcher = healthcheck == null ? null : HEALTH_PORT.matcher(healthcheck);
        if (healthcheck == null || !healthcheck.contains("/health") || !portMatcher.find()) {
            problems.add(where, "HEALTHCHECK must GET /health on 127.0.0.1, got " + healthcheck);
        } else if (portMatcher.group(2) != null) {
            variable = portMatcher.group(2);
            String value = env.get(variable);
            if (value == null || !value.matches("\\d+")) {
                problems.add(where, "the HEALTHCHECK's port ${" + variable + "} has no ENV default");
            } else {
                port = Integer.parseInt(value);
            }
        } else {
            port = Integer.parseInt(portMatcher.group(1));
        }
        String expose = last(runtime, "EXPOSE");
        if (port != 0 && (expose == null || !Arrays.asList(expose.split("\\s+")).contains(String.valueOf(port)))) {
            problems.add(where, "EXPOSE " + expose + " does not include the health check's port " + port);
        }
        return new Image(configPath == null ? "" : configPath, port, variable);
    }

    /** Sources of COPY/ADD without --from, relative to the build context (the repository root). */
    private static List<String> copiedSources(DeployTree tree, List<List<Instruction>> stages, String where,
            Problems problems) {
        List<String> sources = new ArrayList<>();
        for (List<Instruction> stage : stages) {
            for (Instruction instruction : stage) {
                if (!(instruction.keyword().equals("COPY") || instruction.keyword().equals("ADD"))
                        || instruction.arguments().contains("--from=")) {
                    continue;
                }
                List<String> words = Arrays.stream(instruction.arguments().trim().split("\\s+"))
                        .filter(word -> !word.startsWith("--")).toList();
                for (String source : words.subList(0, words.size() - 1)) {
                    String normalized = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
                    sources.add(normalized);
                    if (!Files.exists(tree.repository().resolve(normalized))) {
                        problems.add(where, "COPY " + source + ": no such path in the build context (the"
                                + " repository root)");
                    }
                }
            }
        }
        return sources;
    }

    private static List<String> modules(DeployTree tree) {
        Matcher matcher = MODULE.matcher(tree.text(tree.repository().resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (matcher.find()) {
            modules.add(matcher.group(1).trim());
        }
        return modules;
    }

    /** The path after --config in a JSON-form CMD, or null. */
    private static String configPath(String cmd) {
        if (cmd == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("\\[\\s*\"run\"\\s*,\\s*\"--config\"\\s*,\\s*\"([^\"]+)\"\\s*]")
                .matcher(cmd.trim());
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static List<List<Instruction>> stages(String text) {
        List<List<Instruction>> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && logical.length() == 0) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String instruction = logical.toString().strip();
            logical.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            int space = instruction.indexOf(' ');
            String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
            String arguments = space < 0 ? "" : instruction.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).add(new Instruction(keyword, arguments));
            }
        }
        return stages;
    }

    private static String first(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).findFirst()
                .orElse(null);
    }

    private static String last(List<Instruction> stage, String keyword) {
        String found = null;
        for (Instruction instruction : stage) {
            if (instruction.keyword().equals(keyword)) {
                found = instruction.arguments();
            }
        }
        return found;
    }
}
