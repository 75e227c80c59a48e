package io.concord.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A checkout in a temp directory for a test to break: deploy/ and the parent pom copied, and the rest of the
 * repository stood in for by empty files and directories two levels deep (the checks only ask whether the
 * paths the Dockerfile copies exist).
 */
final class RepositoryCopy {

    private RepositoryCopy() {
    }

    static DeployTree of(DeployTree original, Path directory) throws IOException {
        Path repository = original.repository();
        try (Stream<Path> entries = Files.list(repository)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals("deploy") || name.equals(".git") || name.equals("target")) {
                    continue;
                }
                if (name.equals("pom.xml")) {
                    Files.copy(entry, directory.resolve(name));
                } else {
                    standIn(entry, directory.resolve(name));
                    if (Files.isDirectory(entry)) {
                        try (Stream<Path> children = Files.list(entry)) {
                            for (Path child : children.toList()) {
                                standIn(child, directory.resolve(name).resolve(child.getFileName().toString()));
                            }
                        }
                    }
                }
            }
        }
        Path deploy = original.deploy();
        try (Stream<Path> files = Files.walk(deploy)) {
            files.filter(path -> {
                Path relative = deploy.relativize(path);
                return !relative.startsWith("src") && !relative.startsWith("target")
                        && !relative.toString().contains("/target");
            }).forEach(path -> copy(path, directory.resolve("deploy").resolve(deploy.relativize(path).toString())));
        }
        return new DeployTree(directory);
    }

    private static void standIn(Path original, Path copy) throws IOException {
        if (Files.isDirectory(original)) {
            Files.createDirectories(copy);
        } else {
            Files.createFile(copy);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                Files.createDirectories(to);
            } else {
                Files.copy(from, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
