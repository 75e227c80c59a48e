package io.concord.replicator.capture;

/**
 * Named places where a test may have the process die on the spot, as a power cut would: with
 * {@code -Dconcord.crash-at=<name>} the JVM halts (no shutdown hooks, no flushing) the first time
 * it reaches that place. Without the property this does nothing. Used to prove the ordering
 * rules at the moment they matter, e.g. after Kafka acknowledged a batch but before PostgreSQL
 * recorded it.
 */
final class CrashPoint {

    /** After a batch is acknowledged by Kafka, before its row states and progress are saved. */
    static final String AFTER_PUBLISH = "capture.after-publish";

    private static final String TARGET = System.getProperty("concord.crash-at");

    private CrashPoint() {
    }

    static void reach(String name) {
        if (name.equals(TARGET)) {
            System.err.println("crash point " + name + " reached: halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
