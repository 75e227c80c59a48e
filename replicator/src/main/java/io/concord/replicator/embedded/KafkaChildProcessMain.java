package io.concord.replicator.embedded;

import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of a child-JVM Kafka node: {@code kafka.Kafka server.properties}, plus a guard that
 * ends the node when the JVM that started it is gone.
 *
 * <p>Without the guard a test JVM that crashes or is killed leaves brokers running forever,
 * holding ports and temp directories. Arguments: the parent's pid, then kafka.Kafka's arguments.
 */
public final class KafkaChildProcessMain {

    private static final long POLL_MILLIS = 500;

    private KafkaChildProcessMain() {
    }

    public static void main(String[] args) {
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(args[0]));
        Thread guard = new Thread(() -> watch(parent), "parent-watch");
        guard.setDaemon(true);
        guard.start();
        kafka.Kafka.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void watch(Optional<ProcessHandle> parent) {
        // Polled rather than onExit(): a killed parent can linger as a zombie, which onExit counts as alive.
        while (parent.isPresent() && ProcessLiveness.isRunning(parent.get())) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        // halt, not exit: nobody is left to care about a clean shutdown, and it must not hang.
        Runtime.getRuntime().halt(3);
    }
}
