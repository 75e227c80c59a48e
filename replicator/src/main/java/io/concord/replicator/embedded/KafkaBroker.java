package io.concord.replicator.embedded;

import java.util.Optional;

/** One node (broker and controller) of an embedded KRaft cluster, running in this JVM or in a child JVM. */
interface KafkaBroker {

    /** Starts the node on its formatted storage; returns once the server is up (it may not be registered yet). */
    void start();

    /** Shuts the node down cleanly and waits until it is gone. Does nothing if it is not running. */
    void stop();

    /**
     * Shuts down the node's broker role only, leaving its controller running: a cluster being closed does this on
     * every node before it stops any, so that each broker's controlled shutdown is approved by a full quorum. Does
     * nothing where the roles cannot be stopped apart ({@link #stop} then stops both).
     */
    default void stopBrokerRole() {
    }

    boolean isRunning();

    /** The operating-system process the node runs in, when it has one of its own. */
    Optional<ProcessHandle> process();
}
