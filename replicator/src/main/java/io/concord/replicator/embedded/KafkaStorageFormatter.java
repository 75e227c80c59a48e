package io.concord.replicator.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import kafka.tools.StorageTool;

/** Formats the log directory of a KRaft node with Kafka's storage tool, as {@code kafka-storage.sh format} does. */
final class KafkaStorageFormatter {

    private KafkaStorageFormatter() {
    }

    /**
     * Formats {@code node}'s storage for cluster {@code clusterId}; a directory formatted before is left as it is.
     *
     * <p>No {@code --standalone}: the voters are the static {@code controller.quorum.voters} list.
     */
    static void format(KafkaNodeSpec node, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", node.propertiesFile().toString(), "--ignore-formatted"
            }, out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting the storage of Kafka node " + node.nodeId()
                    + " failed with status " + status + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
