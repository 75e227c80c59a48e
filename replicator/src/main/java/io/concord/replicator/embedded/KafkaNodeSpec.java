package io.concord.replicator.embedded;

import java.nio.file.Path;

/**
 * Where one KRaft node of an embedded cluster lives: its id, its two loopback ports and its directory.
 *
 * <p>The ports are chosen once and kept for the node's life, because the controller quorum is a
 * static list of {@code id@host:port} and a restarted node must come back at the same address.
 */
record KafkaNodeSpec(int nodeId, int brokerPort, int controllerPort, Path directory) {

    static final String HOST = "127.0.0.1";

    /** The node's server.properties, read by the storage tool and by a child-process broker. */
    Path propertiesFile() {
        return directory.resolve("server.properties");
    }

    /** The log directory (topic data and the KRaft metadata log). */
    Path logDirectory() {
        return directory.resolve("data");
    }

    /** {@code host:port} of the PLAINTEXT listener that clients use. */
    String bootstrapAddress() {
        return HOST + ":" + brokerPort;
    }

    /** {@code id@host:port}, one entry of {@code controller.quorum.voters}. */
    String voter() {
        return nodeId + "@" + HOST + ":" + controllerPort;
    }
}
