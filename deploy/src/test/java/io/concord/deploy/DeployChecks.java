package io.concord.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Every check of {@code deploy/}, in the order the files build on each other. */
final class DeployChecks {

    static final String COMPOSE_PER_DC = "compose.yaml";
    static final String COMPOSE_SHARED = "compose.shared-kafka.yaml";
    static final String CONFIG_DIRECTORY = "config";

    private DeployChecks() {
    }

    /** What is wrong with the deploy files of {@code tree}, one line each; empty when they agree. */
    static List<String> run(DeployTree tree) throws IOException {
        Problems problems = new Problems();
        for (Path file : tree.yamlFiles()) {
            try {
                if (tree.yaml(file).isEmpty()) {
                    problems.add(tree.name(file), "holds no YAML document");
                }
            } catch (IOException e) {
                problems.add(tree.name(file), "is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        if (!problems.list().isEmpty()) {
            return problems.list(); // the checks below read these files
        }
        DockerfileCheck.Image image = DockerfileCheck.check(tree, problems);
        ComposeCheck.Deployment perDc = ComposeCheck.check(tree, COMPOSE_PER_DC, image, problems);
        MirrorMakerConfigCheck.check(tree, perDc, problems);
        ComposeCheck.Deployment shared = ComposeCheck.check(tree, COMPOSE_SHARED, image, problems);
        Set<String> images = new TreeSet<>(perDc.concordImages());
        images.addAll(shared.concordImages());
        if (images.size() != 1) {
            problems.add(tree.name(tree.deploy()), "the compose files build Concord under several names " + images);
        }
        KubernetesCheck.check(tree, images, image, problems);
        checkExampleConfigsAreDeployed(tree, perDc, problems);
        return problems.list();
    }

    /** Each config/<dc>/concord.yaml is DC <dc>'s, and compose.yaml runs it (so it was checked with an environment). */
    private static void checkExampleConfigsAreDeployed(DeployTree tree, ComposeCheck.Deployment perDc,
            Problems problems) throws IOException {
        try (Stream<Path> dcs = Files.list(tree.file(CONFIG_DIRECTORY))) {
            for (Path directory : dcs.sorted().toList()) {
                String dc = directory.getFileName().toString();
                if (!perDc.concordByDc().containsKey(dc)) {
                    problems.add(tree.name(directory.resolve("concord.yaml")), "no service of " + COMPOSE_PER_DC
                            + " runs DC " + dc + " with it");
                }
            }
        }
    }
}
