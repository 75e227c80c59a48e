package io.concord.replicator.publish;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates Concord's topics when missing and checks the ones that exist. A changes topic must
 * have exactly one partition: a DC's changes are one stream in commit order.
 */
public final class TopicManager implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final Object servers;

    public TopicManager(Properties clientProperties) {
        this.admin = Admin.create(clientProperties);
        this.servers = clientProperties.get("bootstrap.servers");
    }

    /** Creates the topic with one partition if missing; fails if it exists with more. */
    public void ensureSinglePartitionTopic(String topic, short replicationFactor) {
        try {
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replicationFactor))));
            admin.createTopics(List.of(newTopic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + " at " + servers + ": "
                    + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + servers + " did not create topic " + topic + " within "
                    + TIMEOUT_SECONDS + " s: is it reachable from here?", e);
        }
        int partitions = describeOnceKnown(topic).partitions().size();
        if (partitions != 1) {
            throw new IllegalStateException("topic " + topic + " has " + partitions
                    + " partitions; Concord needs exactly 1 (a DC's changes must stay in commit order)");
        }
    }

    /**
     * Describes a topic that may have been created a moment ago: until the broker has applied its
     * creation, describing it fails with UnknownTopicOrPartition, which here only means "not yet".
     */
    private TopicDescription describeOnceKnown(String topic) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return describe(topic);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof ExecutionException execution
                        && execution.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for topic " + topic, interrupted);
                }
            }
        }
    }

    public TopicDescription describe(String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
