package io.concord.replicator.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Time spent runnable but waiting for a core (the run queue: {@code schedstat}'s second field) by the replication's
 * processes and threads: on each PostgreSQL server its walsenders, logical replication workers and Concord's
 * sessions ({@code application_name} {@code concord-*}), and in this JVM every thread but the bench's own
 * ({@code bench-*}: writer, clients, probe, kafka alone) — Concord, the broker, Kafka's clients, the JIT, the GC. An
 * exited task leaves no trace of its waits, so {@link #between} counts the tasks alive at the second sample. On two
 * cores that the bench keeps busy, this is what the hand-offs between threads and processes cost beyond their own
 * work.
 */
final class CoreWaits {

    /** Each live task's wait so far, by part and task. */
    record Sample(Map<String, Map<String, Long>> byPart) {
    }

    private static final String JVM = "bench jvm";
    private static final String REPLICATION_PROCESSES = "SELECT pid FROM pg_stat_activity"
            + " WHERE backend_type = 'walsender' OR backend_type LIKE 'logical replication%worker'"
            + " OR application_name LIKE 'concord-%'";

    private final Map<String, Db> servers;

    /** Waits of these servers' replication processes (by name) and of this JVM's threads. */
    CoreWaits(Map<String, Db> servers) {
        this.servers = new TreeMap<>(servers); // "postgres a" before "postgres b", whatever map is given
    }

    /** Whether the kernel keeps run-queue statistics here (Linux with schedstats). */
    static boolean available() {
        return Files.exists(Path.of("/proc/self/schedstat"));
    }

    /** Every live task's wait so far; empty where {@link #available()} is false. */
    Sample sample() throws SQLException {
        Map<String, Map<String, Long>> byPart = new LinkedHashMap<>();
        if (!available()) {
            return new Sample(byPart);
        }
        for (Map.Entry<String, Db> server : servers.entrySet()) {
            Map<String, Long> tasks = byPart.computeIfAbsent(server.getKey(), name -> new LinkedHashMap<>());
            try (Connection connection = server.getValue().connect();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(REPLICATION_PROCESSES)) {
                while (rows.next()) {
                    String pid = Long.toString(rows.getLong(1));
                    tasks.put(pid, waitedNanos(Path.of("/proc", pid)));
                }
            }
        }
        Map<String, Long> threads = byPart.computeIfAbsent(JVM, name -> new LinkedHashMap<>());
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (!name(task).startsWith("bench-")) {
                    threads.put(task.getFileName().toString(), waitedNanos(task));
                }
            }
        } catch (IOException e) {
            return new Sample(Map.of());
        }
        return new Sample(byPart);
    }

    /**
     * Nanoseconds waited between two samples by part, by the tasks alive at the second (those started since with all
     * their waits); empty if either sample is.
     */
    static Map<String, Long> between(Sample before, Sample after) {
        Map<String, Long> waited = new LinkedHashMap<>();
        after.byPart().forEach((part, tasks) -> {
            Map<String, Long> earlier = before.byPart().get(part);
            if (earlier == null) {
                return;
            }
            long nanos = 0;
            for (Map.Entry<String, Long> task : tasks.entrySet()) {
                // A task started since waited all its time in between; a pid reused meanwhile would start below.
                long then = earlier.getOrDefault(task.getKey(), 0L);
                nanos += task.getValue() >= then ? task.getValue() - then : task.getValue();
            }
            waited.put(part, nanos);
        });
        return waited;
    }

    /** A thread's name as the kernel keeps it (the first 15 characters of the Java name); empty if it ended. */
    private static String name(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** A task's run-queue wait so far; 0 if it ended meanwhile. */
    private static long waitedNanos(Path task) {
        try {
            return Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
