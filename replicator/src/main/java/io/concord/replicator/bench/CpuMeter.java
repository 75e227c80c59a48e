package io.concord.replicator.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU time spent during a measurement, by who spent it: each PostgreSQL server (all its processes: backends,
 * walsenders, apply workers, the writer), and in this JVM Concord's capture and apply threads, the embedded Kafka
 * broker, Kafka clients' own threads, the JIT compilers, the GC, and the rest. The rest is mostly threads that ended
 * between the samples, with all their CPU (a thread that lived through both samples counts only its share between
 * them); the scenarios start their own threads after the first sample, or measure them themselves. On two cores the steady-lag scenario is bound by CPU, not by waits: this is how the two systems' costs
 * compare, row for row. The bench's own threads (writer, probe) measure themselves: they end before the last
 * sample ({@link #apart}).
 *
 * <p>PostgreSQL's share comes from {@code /proc} (Linux): every live child of the postmaster, plus what the
 * postmaster reaped from children that exited (its {@code cutime}/{@code cstime}). Where {@code /proc} is missing
 * the servers' parts are left out and {@link #available()} says so.
 */
final class CpuMeter {

    /**
     * Parts of the JVM's CPU, by thread name; unmatched Java threads are the in-process broker's. The bench's own
     * Kafka clients (kafka alone) run on threads named {@code bench-kafka-*}, counted as clients.
     */
    private static final String CAPTURE = "concord capture";
    private static final String APPLY = "concord apply (stream)";
    private static final String APPLY_WORKER = "concord apply (worker)";
    private static final String CLIENTS = "kafka client threads";
    static final String BROKER = "kafka broker";
    private static final String JIT = "jvm jit";
    private static final String GC = "jvm gc";
    private static final String JVM_REST = "jvm other (ended threads)";
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on every Linux this runs on

    private final Map<String, Long> postmasters = new LinkedHashMap<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** Meters the servers of {@code a} and {@code b} besides this JVM. */
    CpuMeter(Db source, Db target) {
        pidOf(source).ifPresent(pid -> postmasters.put("postgres a", pid));
        pidOf(target).ifPresent(pid -> postmasters.put("postgres b", pid));
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    /** Whether the servers' CPU can be read (Linux {@code /proc}). */
    boolean available() {
        return postmasters.size() == 2;
    }

    /** CPU nanoseconds spent so far, by part (threads and processes that exited count where said above). */
    Map<String, Long> sample() {
        Map<String, Long> parts = new LinkedHashMap<>();
        postmasters.forEach((name, pid) -> parts.put(name, serverNanos(pid)));
        long named = 0;
        Map<String, Long> jvm = new LinkedHashMap<>();
        for (String part : new String[] {CAPTURE, APPLY, APPLY_WORKER, BROKER, CLIENTS}) {
            jvm.put(part, 0L);
        }
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long nanos = threads.getThreadCpuTime(ids[i]);
            if (infos[i] == null || nanos < 0) {
                continue;
            }
            jvm.merge(partOf(infos[i].getThreadName()), nanos, Long::sum);
            named += nanos;
        }
        parts.putAll(jvm);
        Map<String, Long> internal = internalThreads();
        parts.putAll(internal);
        named += internal.values().stream().mapToLong(Long::longValue).sum();
        long process = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        parts.put(JVM_REST, Math.max(0, process - named));
        return parts;
    }

    /** CPU nanoseconds the JIT compilers' threads have spent so far (0 without {@code /proc}). */
    static long jitNanos() {
        return internalThreads().get(JIT);
    }

    /** The JIT compilers' and the garbage collector's threads (not Java threads: read from {@code /proc/self/task}). */
    private static Map<String, Long> internalThreads() {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put(JIT, 0L);
        parts.put(GC, 0L);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        parts.merge(JIT, nanos, Long::sum);
                    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        parts.merge(GC, nanos, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: their time stays in the rest
        }
        return parts;
    }

    /** What was spent between two samples, by part. */
    static Map<String, Long> spent(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> spent = new LinkedHashMap<>();
        after.forEach((part, nanos) -> spent.put(part, Math.max(0, nanos - before.getOrDefault(part, 0L))));
        return spent;
    }

    /**
     * Moves what threads that ended before the last sample measured themselves (the bench's writer and probe) out of
     * the rest into a part of its own.
     */
    static Map<String, Long> apart(Map<String, Long> spent, String part, long nanos) {
        Map<String, Long> parts = new LinkedHashMap<>(spent);
        parts.merge(JVM_REST, -nanos, (rest, taken) -> Math.max(0, rest + taken));
        parts.put(part, nanos);
        return parts;
    }

    /** "postgres a 4.1 s, ..., total 17.3 s", in seconds. */
    static String describe(Map<String, Long> spent) {
        StringBuilder text = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, Long> part : spent.entrySet()) {
            text.append(part.getKey()).append(' ').append("%.2f s".formatted(part.getValue() / 1e9)).append(", ");
            total += part.getValue();
        }
        return text.append("total ").append("%.2f s".formatted(total / 1e9)).toString();
    }

    static long total(Map<String, Long> spent) {
        return spent.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String partOf(String thread) {
        if (thread.startsWith("capture-")) {
            return CAPTURE;
        }
        if (thread.startsWith("concord-apply") && thread.contains("-worker-")) {
            return APPLY_WORKER; // applies the batches (ApplyWorker)
        }
        if (thread.contains("StreamThread") || thread.startsWith("concord-apply")) {
            return APPLY; // decodes and buffers (Kafka Streams' thread)
        }
        if (thread.startsWith("kafka-producer-network-thread") || thread.startsWith("kafka-coordinator-heartbeat")
                || thread.startsWith("kafka-admin-client-thread") || thread.startsWith("consumer_background")
                || thread.startsWith("bench-kafka-")) {
            return CLIENTS;
        }
        return BROKER;
    }

    /** CPU nanoseconds spent so far by {@code db}'s whole server; empty where {@code /proc} is missing. */
    static OptionalLong serverNanos(Db db) {
        OptionalLong pid = pidOf(db);
        return pid.isPresent() ? OptionalLong.of(serverNanos(pid.getAsLong())) : OptionalLong.empty();
    }

    /** The postmaster of the server {@code db} is on: the parent of a backend (read while the backend lives). */
    private static OptionalLong pidOf(Db db) {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return OptionalLong.of(Long.parseLong(stat(row.getLong(1))[1]));
        } catch (Exception e) {
            return OptionalLong.empty(); // no /proc here
        }
    }

    /** The postmaster's own CPU, what it reaped from exited children, and its live children's. */
    private static long serverNanos(long postmaster) {
        long ticks = 0;
        try {
            String[] own = stat(postmaster);
            ticks += Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13]) + Long.parseLong(own[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        try {
            for (long child : children(postmaster)) {
                try {
                    String[] fields = stat(child);
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile: its time is in the postmaster's cutime/cstime by the next sample
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * TICK_NANOS;
    }

    /** The live children of {@code postmaster}. */
    private static List<Long> children(long postmaster) throws IOException {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    long pid = Long.parseLong(process.getFileName().toString());
                    if (Long.parseLong(stat(pid)[1]) == postmaster) {
                        children.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile
                }
            }
        }
        return children;
    }

    /**
     * The fields of {@code /proc/<pid>/stat} after the command name: index 0 is the state, 1 the parent pid, 11
     * and 12 utime and stime, 13 and 14 cutime and cstime (in clock ticks).
     */
    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
