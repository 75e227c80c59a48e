package io.concord.replicator.faults;

import static org.awaitility.Awaitility.await;

import io.concord.replicator.testing.ClusterFixture;
import io.concord.replicator.testing.ConcordProcess;
import io.concord.replicator.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code concord run} process of each DC, a child JVM with a capped heap that a fault can kill with SIGKILL,
 * stop with SIGTERM and start again. Each start logs to a file of its own.
 */
final class Replicators implements AutoCloseable {

    /** The child's heap: small enough that unbounded buffering under hostile input would show as an OutOfMemoryError. */
    static final int HEAP_MB = 384;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String KAFKA_SETTINGS = """
            topics:
              replication-factor: 3
            """;

    private final Path directory;
    private final Map<String, Path> configs = new HashMap<>();
    private final Map<String, ConcordProcess> processes = new HashMap<>();
    private final Map<String, List<String>> jvmOptions = new HashMap<>();
    private final Map<String, Integer> starts = new HashMap<>();
    private final List<Path> logs = new ArrayList<>();

    private Replicators(Path directory) {
        this.directory = directory;
    }

    /** Writes each DC's concord.yaml (mesh, the suite's tables, topics replicated 3 times). */
    static Replicators configure(ClusterFixture cluster, Path directory) throws IOException {
        Replicators replicators = new Replicators(directory);
        for (String dc : SuiteTable.DCS) {
            List<String> peers = SuiteTable.DCS.stream().filter(p -> !p.equals(dc)).toList();
            replicators.configs.put(dc, TestConfigs.write(directory.resolve("concord-" + dc + ".yaml"),
                    TestConfigs.yaml(cluster, dc, peers, SuiteTable.yaml(), KAFKA_SETTINGS)));
        }
        return replicators;
    }

    /** JVM options for the DC's next starts, e.g. the clock-skew hook. */
    synchronized void jvmOptions(String dc, List<String> options) {
        jvmOptions.put(dc, List.copyOf(options));
    }

    synchronized List<String> jvmOptions(String dc) {
        return jvmOptions.getOrDefault(dc, List.of());
    }

    /** Starts the DC's replicator if it is not running; does not wait for it to become active. */
    synchronized void start(String dc) throws IOException {
        if (isRunning(dc)) {
            return;
        }
        int start = starts.merge(dc, 1, Integer::sum);
        Path log = directory.resolve(dc + "-" + start + ".log");
        logs.add(log);
        processes.put(dc, ConcordProcess.start(log, HEAP_MB, jvmOptions(dc), "run", "--config",
                configs.get(dc).toString()));
    }

    /** Waits until the DC's capture is active and its apply started (their log lines). */
    void awaitActive(String dc) {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            ConcordProcess process = process(dc);
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("concord run of DC " + dc + " exited while starting; log:\n"
                        + tail(process.log()));
            }
            String log = process == null ? "" : process.log();
            return log.contains("capture of DC " + dc + " is active") && log.contains("apply of DC " + dc + " started");
        });
    }

    /** SIGKILL, as a crash would. */
    synchronized void kill(String dc) throws InterruptedException {
        ConcordProcess process = processes.remove(dc);
        if (process != null) {
            process.kill();
        }
    }

    /**
     * SIGTERM, and waits for the process to end; returns what was not clean about it, or null. Clean means the
     * JVM's ordinary answer to SIGTERM (exit status 143, or 0) after {@code concord run} stopped apply in order.
     */
    synchronized String stop(String dc) throws InterruptedException, IOException {
        ConcordProcess process = processes.remove(dc);
        if (process == null) {
            return null;
        }
        int exit = process.stop();
        String log = process.log();
        if ((exit != 0 && exit != 143) || !log.contains("apply of DC " + dc + " stopped")) {
            return "replicator " + dc + " did not stop cleanly on SIGTERM (exit status " + exit + "); log:\n"
                    + tail(log);
        }
        return null;
    }

    /** Whether the suite has the DC's replicator up (started and not stopped by a fault). */
    synchronized boolean isRunning(String dc) {
        return processes.containsKey(dc);
    }

    private synchronized ConcordProcess process(String dc) {
        return processes.get(dc);
    }

    /** The replicators that should run but whose process is gone, each with the end of its log. */
    synchronized List<String> unexpectedExits() throws IOException {
        List<String> exits = new ArrayList<>();
        for (Map.Entry<String, ConcordProcess> entry : processes.entrySet()) {
            if (!entry.getValue().isAlive()) {
                exits.add("concord run of DC " + entry.getKey() + " exited on its own; log:\n"
                        + tail(entry.getValue().log()));
            }
        }
        return exits;
    }

    /** Lines of every log so far that contain {@code text}, each prefixed with its file name. */
    synchronized List<String> logLines(String text) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            if (Files.exists(log)) {
                try (var lines = Files.lines(log)) {
                    lines.filter(line -> line.contains(text))
                            .forEach(line -> found.add(log.getFileName() + ": " + abbreviate(line)));
                }
            }
        }
        return found;
    }

    /** Stops every replicator with SIGTERM (SIGKILL if it hangs). */
    @Override
    public synchronized void close() {
        for (String dc : List.copyOf(processes.keySet())) {
            ConcordProcess process = processes.remove(dc);
            try {
                try {
                    process.stop();
                } catch (IllegalStateException hung) {
                    process.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the fixture's leak check names any process left behind
            }
        }
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        StringBuilder tail = new StringBuilder();
        for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
            tail.append(abbreviate(lines[i])).append('\n');
        }
        return tail.toString();
    }

    private static String abbreviate(String line) {
        return line.length() > 600 ? line.substring(0, 600) + "... (" + line.length() + " chars)" : line;
    }
}
