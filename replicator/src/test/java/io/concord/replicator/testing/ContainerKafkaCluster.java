package io.concord.replicator.testing;

import io.concord.replicator.embedded.KafkaCluster;
import io.concord.replicator.embedded.KafkaClusterAdmin;
import io.concord.replicator.embedded.LoopbackPorts;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** A one-node Apache Kafka (KRaft) in a Docker container; stop and start keep its data and its address. */
final class ContainerKafkaCluster implements KafkaCluster {

    private static final int KAFKA_PORT = 9092;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaContainer container;
    private boolean running;

    private ContainerKafkaCluster(KafkaContainer container) {
        this.container = container;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerKafkaCluster start() {
        // The same Kafka version as the clients and the embedded broker. Testcontainers already sets
        // internal topics and the transaction log to one replica and no initial rebalance delay.
        KafkaContainer container = new KafkaContainer(DockerImageName.parse("apache/kafka:4.4.0"))
                .withCreateContainerCmdModifier(FixedHostPort.bind(KAFKA_PORT, LoopbackPorts.reserve()));
        container.start();
        ContainerKafkaCluster cluster = new ContainerKafkaCluster(container);
        cluster.running = true;
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public int brokerCount() {
        return 1;
    }

    @Override
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        KafkaClusterAdmin.createTopic(bootstrapServers(),
                new NewTopic(name, partitions, (short) replicationFactor).configs(configs), TIMEOUT);
    }

    @Override
    public synchronized void stopBroker(int index) {
        checkIndex(index);
        if (running) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
            running = false;
        }
    }

    @Override
    public synchronized void startBroker(int index) {
        checkIndex(index);
        if (!running) {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            // The image's node id is 1.
            KafkaClusterAdmin.awaitBrokers(bootstrapServers(), Set.of(1), TIMEOUT);
            running = true;
        }
    }

    @Override
    public synchronized void close() {
        container.stop();
        running = false;
    }

    private static void checkIndex(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("no broker " + index + "; the container cluster has broker 0 only");
        }
    }
}
