package io.concord.replicator.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft node running in a child JVM ({@code kafka.Kafka server.properties} on this JVM's classpath),
 * so that a fault test can kill it with SIGKILL and start it again on the same data.
 */
final class ChildProcessKafkaBroker implements KafkaBroker {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaNodeSpec node;
    private final Duration startTimeout;
    private Process process;

    ChildProcessKafkaBroker(KafkaNodeSpec node, Duration startTimeout) {
        this.node = node;
        this.startTimeout = startTimeout;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"),
                KafkaChildProcessMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()),
                node.propertiesFile().toString()));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog().toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM for Kafka node " + node.nodeId(), e);
        }
        awaitListener();
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the node with SIGKILL: no shutdown hook, no controlled shutdown, no flush. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized Optional<ProcessHandle> process() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    private Path consoleLog() {
        return node.directory().resolve("console.log");
    }

    private void awaitListener() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka node " + node.nodeId() + " exited with status "
                        + process.exitValue() + " while starting; its output:\n" + consoleTail());
            }
            if (accepts(node.brokerPort())) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Kafka node " + node.nodeId() + " did not listen on port "
                + node.brokerPort() + " within " + startTimeout + "; its output:\n" + consoleTail());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(KafkaNodeSpec.HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(consoleLog());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Kafka node", e);
        }
    }
}
