package io.concord.replicator.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster in KRaft mode from the Maven artifacts: every node is broker and
 * controller, on free loopback ports, with its data in a temp directory removed at {@link #close()}.
 *
 * <p>Nodes start and stop in parallel: a KRaft node waits for a quorum of controllers, so starting
 * them one by one deadlocks, and stopping them one by one leaves the last ones waiting for a quorum
 * that is gone. Even in parallel, closing a cluster of several nodes takes about 5 s: the last
 * controller standing waits that long (fixed in Kafka) for a new leader before it gives up. Closing stops
 * every node's broker role before any node's controller: stopped whole, a broker whose controlled shutdown
 * came after two controllers had gone waited out Kafka's fixed 5 minutes (seen once in CI).
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final Path directory;
    private final List<KafkaNodeSpec> nodes;
    private final List<KafkaBroker> brokers;
    private final Duration timeout;
    private boolean closed;

    private EmbeddedKafkaCluster(Path directory, List<KafkaNodeSpec> nodes, List<KafkaBroker> brokers, Duration timeout) {
        this.directory = directory;
        this.nodes = nodes;
        this.brokers = brokers;
        this.timeout = timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a one-broker cluster with the default settings. */
    public static EmbeddedKafkaCluster start() {
        return builder().start();
    }

    @Override
    public String bootstrapServers() {
        return nodes.stream().map(KafkaNodeSpec::bootstrapAddress).collect(Collectors.joining(","));
    }

    @Override
    public int brokerCount() {
        return nodes.size();
    }

    @Override
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(configs);
        KafkaClusterAdmin.createTopic(runningBootstrapServers(), topic, timeout);
    }

    @Override
    public synchronized void stopBroker(int index) {
        long started = System.nanoTime();
        broker(index).stop();
        LOG.info("Kafka broker {} stopped in {} ms", index, elapsedMillis(started));
    }

    @Override
    public synchronized void startBroker(int index) {
        long started = System.nanoTime();
        broker(index).start();
        KafkaClusterAdmin.awaitBrokers(runningBootstrapServers(), runningNodeIds(), timeout);
        LOG.info("Kafka broker {} restarted in {} ms", index, elapsedMillis(started));
    }

    /**
     * Kills broker {@code index} with SIGKILL, as a crash would; only a cluster built with
     * {@link Builder#childProcesses(boolean) childProcesses(true)} has brokers that can be killed.
     */
    public synchronized void killBroker(int index) {
        if (!(broker(index) instanceof ChildProcessKafkaBroker child)) {
            throw new IllegalStateException("broker " + index + " runs inside this JVM and cannot be killed;"
                    + " build the cluster with childProcesses(true)");
        }
        child.kill();
    }

    /** The process broker {@code index} runs in, if it runs as a child JVM and is up. */
    public Optional<ProcessHandle> brokerProcess(int index) {
        return broker(index).process();
    }

    /** The directory holding every node's configuration and data. */
    public Path dataDirectory() {
        return directory;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            if (brokers.size() > 1) {
                // Brokers first, all of them, while every controller still runs: stopped whole and in parallel, a node
                // whose controlled shutdown came last could find the quorum gone and wait out Kafka's fixed 5 minutes.
                Parallel.run("kafka-stop-broker", brokers.stream().<Runnable>map(broker -> broker::stopBrokerRole)
                        .toList());
            }
            Parallel.run("kafka-stop", brokers.stream().<Runnable>map(broker -> broker::stop).toList());
        } finally {
            TempDirectories.delete(directory);
        }
        LOG.info("Kafka cluster of {} node(s) stopped in {} ms", nodes.size(), elapsedMillis(started));
    }

    private void startAll() {
        long started = System.nanoTime();
        Parallel.run("kafka-start", brokers.stream().<Runnable>map(broker -> broker::start).toList());
        KafkaClusterAdmin.awaitBrokers(bootstrapServers(), runningNodeIds(), timeout);
        LOG.info("Kafka cluster of {} node(s) started in {} ms at {}", nodes.size(), elapsedMillis(started),
                bootstrapServers());
    }

    private KafkaBroker broker(int index) {
        if (index < 0 || index >= brokers.size()) {
            throw new IllegalArgumentException("no broker " + index + "; this cluster has brokers 0.." + (brokers.size() - 1));
        }
        return brokers.get(index);
    }

    private Set<Integer> runningNodeIds() {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < brokers.size(); i++) {
            if (brokers.get(i).isRunning()) {
                ids.add(nodes.get(i).nodeId());
            }
        }
        return ids;
    }

    private String runningBootstrapServers() {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < brokers.size(); i++) {
            if (brokers.get(i).isRunning()) {
                addresses.add(nodes.get(i).bootstrapAddress());
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalStateException("no Kafka broker of this cluster is running");
        }
        return String.join(",", addresses);
    }

    private static long elapsedMillis(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Settings of an {@link EmbeddedKafkaCluster} to start. */
    public static final class Builder {

        private int brokers = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private boolean childProcesses;
        private Duration timeout = Duration.ofSeconds(60);
        private Path parentDirectory;

        private Builder() {
        }

        /** Number of nodes, each broker and controller; 1 by default. */
        public Builder brokers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a Kafka cluster needs at least one broker, got " + count);
            }
            this.brokers = count;
            return this;
        }

        /** A server.properties setting for every node, applied after the defaults. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        /** Several server.properties settings for every node, applied after the defaults. */
        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.putAll(properties);
            return this;
        }

        /** Runs every node as a child JVM (slower to start) so that {@link #killBroker} can kill it. */
        public Builder childProcesses(boolean childProcesses) {
            this.childProcesses = childProcesses;
            return this;
        }

        /** How long starting the cluster, a broker or a topic may take; 60 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Where the cluster's temp directory is created; {@code java.io.tmpdir} by default. */
        public Builder parentDirectory(Path parentDirectory) {
            this.parentDirectory = parentDirectory;
            return this;
        }

        /** Formats the storage of every node and starts them all; returns once every broker is registered. */
        public EmbeddedKafkaCluster start() {
            Path directory = TempDirectories.create(
                    parentDirectory != null ? parentDirectory : TempDirectories.systemTemp(), "concord-kafka-");
            EmbeddedKafkaCluster cluster = null;
            try {
                List<KafkaNodeSpec> nodes = new ArrayList<>();
                for (int id = 0; id < brokers; id++) {
                    nodes.add(new KafkaNodeSpec(id, LoopbackPorts.reserve(), LoopbackPorts.reserve(),
                            directory.resolve("node-" + id)));
                }
                String clusterId = Uuid.randomUuid().toString();
                List<KafkaBroker> started = new ArrayList<>();
                for (KafkaNodeSpec node : nodes) {
                    var props = KafkaNodeProperties.of(node, nodes, brokerProperties);
                    KafkaNodeProperties.write(node, props);
                    KafkaStorageFormatter.format(node, clusterId);
                    started.add(childProcesses ? new ChildProcessKafkaBroker(node, timeout) : new InProcessKafkaBroker(props));
                }
                cluster = new EmbeddedKafkaCluster(directory, List.copyOf(nodes), List.copyOf(started), timeout);
                cluster.startAll();
                return cluster;
            } catch (RuntimeException e) {
                try {
                    if (cluster != null) {
                        cluster.close();
                    } else {
                        TempDirectories.delete(directory);
                    }
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
