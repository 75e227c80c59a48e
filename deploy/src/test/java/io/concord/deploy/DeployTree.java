package io.concord.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The files under {@code deploy/} as the checks read them, in a repository checkout (the real one, or a
 * test's copy with one thing broken). Paths in problems are relative to the repository.
 */
record DeployTree(Path repository) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** This checkout: {@code -Dconcord.repository} (set by the build), else the parent of the working directory. */
    static DeployTree ofThisCheckout() {
        String configured = System.getProperty("concord.repository");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("deploy/compose.yaml"))) {
            throw new IllegalStateException(root + " is not a Concord checkout (no deploy/compose.yaml)");
        }
        return new DeployTree(root);
    }

    Path deploy() {
        return repository.resolve("deploy");
    }

    /** A file under deploy/. */
    Path file(String relative) {
        return deploy().resolve(relative);
    }

    /** How a problem names {@code file}: relative to the repository. */
    String name(Path file) {
        return repository.relativize(file.toAbsolutePath().normalize()).toString();
    }

    String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file (a Kubernetes manifest may hold several). */
    List<JsonNode> yaml(Path file) throws IOException {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text(file))) {
            return documents.readAll().stream().filter(node -> node != null && !node.isNull()).toList();
        }
    }

    static JsonNode parseYaml(String text) throws IOException {
        return YAML.readTree(text);
    }

    Properties properties(Path file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Every YAML file under deploy/ that is a deployment file (not build output, not test sources). */
    List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(deploy())) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .filter(file -> !deploy().relativize(file).startsWith("target")
                            && !deploy().relativize(file).startsWith("src")
                            && !deploy().relativize(file).toString().contains("/target/"))
                    .sorted()
                    .toList();
        }
    }
}
