package io.concord.replicator.testing;

import io.concord.replicator.embedded.ProcessLiveness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds what embedded servers can leave behind once closed: processes and data directories.
 *
 * <p>Two kinds of process count: any live descendant of this JVM (child-JVM brokers, pg_ctl), and
 * any process whose command line names one of the servers' directories. The second is how a
 * leaked PostgreSQL is found: pg_ctl starts the postmaster as a daemon, so it is no descendant of ours.
 */
public final class ServerLeakCheck {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private ServerLeakCheck() {
    }

    /** One line per leftover: a running process (pid and command line) or an existing directory. */
    public static List<String> leftovers(Collection<Path> directories) {
        List<String> found = new ArrayList<>();
        ProcessHandle.current().descendants()
                .filter(ProcessLiveness::isRunning)
                .forEach(process -> found.add("child process " + describe(process)));
        ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(ProcessLiveness::isRunning)
                .filter(process -> namesAny(process, directories))
                .filter(process -> found.stream().noneMatch(line -> line.startsWith("child process " + process.pid() + " ")))
                .forEach(process -> found.add("process " + describe(process)));
        directories.stream().filter(Files::exists).forEach(dir -> found.add("directory " + dir));
        return found;
    }

    /** Waits a few seconds for processes that are on their way out, then fails listing every leftover. */
    public static void assertNothingLeft(Collection<Path> directories) {
        assertNothingLeft(directories, GRACE);
    }

    static void assertNothingLeft(Collection<Path> directories, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<String> found = leftovers(directories);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = leftovers(directories);
        }
        if (!found.isEmpty()) {
            throw new AssertionError("servers left behind after close:\n  " + String.join("\n  ", found));
        }
    }

    private static boolean namesAny(ProcessHandle process, Collection<Path> directories) {
        String commandLine = process.info().commandLine().orElse("");
        return directories.stream().anyMatch(dir -> commandLine.contains(dir.toString()));
    }

    private static String describe(ProcessHandle process) {
        return process.pid() + " " + process.info().commandLine().orElse("(command line unknown)");
    }
}
