package io.concord.replicator.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** The admin operations a {@link KafkaCluster} implementation needs: wait for brokers to register, create topics and wait for leaders. */
public final class KafkaClusterAdmin {

    private static final Duration POLL = Duration.ofMillis(100);

    private KafkaClusterAdmin() {
    }

    /** Waits until the brokers {@code nodeIds}, and no others, are registered and unfenced. */
    public static void awaitBrokers(String bootstrapServers, Set<Integer> nodeIds, Duration timeout) {
        try (Admin admin = admin(bootstrapServers)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            Set<Integer> seen = Set.of();
            RuntimeException lastError = null;
            while (System.nanoTime() < deadline) {
                try {
                    seen = ask(() -> admin.describeCluster().nodes().get(2, TimeUnit.SECONDS))
                            .stream().map(Node::id).collect(Collectors.toSet());
                    if (seen.equals(nodeIds)) {
                        return;
                    }
                } catch (IllegalStateException e) {
                    // A quorum still electing its leader answers with retriable errors for a moment.
                    lastError = e;
                }
                sleep();
            }
            IllegalStateException failure = new IllegalStateException("Kafka brokers " + nodeIds
                    + " not all registered within " + timeout + "; registered: " + seen);
            if (lastError != null) {
                failure.addSuppressed(lastError);
            }
            throw failure;
        }
    }

    /** Creates the topic, then waits until each of its partitions has a leader. */
    public static void createTopic(String bootstrapServers, NewTopic topic, Duration timeout) {
        try (Admin admin = admin(bootstrapServers)) {
            ask(() -> admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            long deadline = System.nanoTime() + timeout.toNanos();
            RuntimeException lastError = null;
            while (System.nanoTime() < deadline) {
                try {
                    Map<String, TopicDescription> described = ask(() -> admin.describeTopics(List.of(topic.name()))
                            .allTopicNames().get(2, TimeUnit.SECONDS));
                    if (allLed(described.get(topic.name()).partitions())) {
                        return;
                    }
                } catch (IllegalStateException e) {
                    // The broker answering may not have the new topic in its metadata yet.
                    lastError = e;
                }
                sleep();
            }
            IllegalStateException failure = new IllegalStateException("topic " + topic.name()
                    + " has partitions without a leader after " + timeout);
            if (lastError != null) {
                failure.addSuppressed(lastError);
            }
            throw failure;
        }
    }

    private static boolean allLed(Collection<TopicPartitionInfo> partitions) {
        return partitions.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    private static Admin admin(String bootstrapServers) {
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    private static <T> T ask(AdminCall<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to Kafka", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka admin request timed out", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** An admin future's {@code get}, with its checked exceptions. */
    @FunctionalInterface
    private interface AdminCall<T> {
        T get() throws InterruptedException, ExecutionException, TimeoutException;
    }
}
