package io.concord.replicator.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Creates the temp directories embedded servers keep their data in, and removes them for good. */
final class TempDirectories {

    private TempDirectories() {
    }

    /** A new directory under {@code parent} (created if missing) named {@code prefix} plus a random suffix. */
    static Path create(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory under " + parent, e);
        }
    }

    /** The JVM's temp directory, {@code java.io.tmpdir}; the build points it into target/. */
    static Path systemTemp() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Deletes {@code directory} and everything in it; fails if anything is left. */
    static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // A server that just stopped may remove its own files while we walk.
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
        if (Files.exists(directory)) {
            throw new IllegalStateException("could not delete " + directory);
        }
    }
}
