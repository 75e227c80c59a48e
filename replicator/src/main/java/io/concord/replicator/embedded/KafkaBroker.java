package io.concord.replicator.embedded;

import java.util.Optional;

/** One node (broker and controller) of an embedded KRaft cluster, running in this JVM or in a child JVM. */
interface KafkaBroker {

    /** Starts the node on its formatted storage; returns once the server is up (it may not be registered yet). */
    void start();

    /** Shuts the node down cleanly and waits until it is gone. Does nothing if it is not running. */
    void stop();

    boolean isRunning();

    /** The operating-system process the node runs in, when it has one of its own. */
    Optional<ProcessHandle> process();
}
