package io.concord.replicator.embedded;

import java.util.Map;

/** A Kafka cluster that tests and {@code concord demo} start, use and stop: embedded or in containers. */
public interface KafkaCluster extends AutoCloseable {

    /** {@code host:port,...} of every broker, running or not, as clients of a real cluster are configured. */
    String bootstrapServers();

    int brokerCount();

    /** Creates a topic and returns once every partition has a leader. */
    default void createTopic(String name, int partitions, int replicationFactor) {
        createTopic(name, partitions, replicationFactor, Map.of());
    }

    /** Creates a topic with topic-level {@code configs} and returns once every partition has a leader. */
    void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs);

    /** Shuts broker {@code index} (0-based) down cleanly; its data stays for {@link #startBroker}. */
    void stopBroker(int index);

    /** Starts broker {@code index} again on its data and returns once it has rejoined the cluster. */
    void startBroker(int index);

    /** Stops every broker and removes everything the cluster wrote. */
    @Override
    void close();
}
