package io.concord.replicator.testing;

import io.concord.replicator.cli.ConcordCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code concord} command running in a child JVM on the test classpath, so that a test can
 * kill it with SIGKILL at a dangerous moment, as a crash would, and start it again.
 */
public final class ConcordProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ConcordProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code concord args...}; output goes to {@code log}.
     *
     * @param maxHeapMb the child's heap cap (-Xmx), e.g. 256
     */
    public static ConcordProcess start(Path log, int maxHeapMb, String... args) throws IOException {
        return start(log, maxHeapMb, List.of(), args);
    }

    /** As {@link #start(Path, int, String...)}, with extra JVM options (e.g. {@code -Dconcord.crash-at=...}). */
    public static ConcordProcess start(Path log, int maxHeapMb, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeapMb + "m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                ConcordCli.class.getName()));
        command.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        // A fresh log each start: tests wait for lines in it, and a line left by an earlier run would lie.
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        return new ConcordProcess(process, log);
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for a clean exit; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("concord did not stop within 30 s of SIGTERM; log: " + log);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
