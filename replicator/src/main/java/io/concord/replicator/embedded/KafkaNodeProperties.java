package io.concord.replicator.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Builds the server.properties of one node of an embedded KRaft cluster (broker and controller in one process).
 *
 * <p>Replication of internal topics follows the cluster size: replication factor {@code min(3, nodes)},
 * minimum in-sync replicas one less (at least 1). With 3 nodes that keeps transactions, offset
 * commits and {@code acks=all} writes going while one broker is down, which is what the fault
 * tests do; a min ISR of 3 would stall every exactly-once pipeline during a single restart.
 */
final class KafkaNodeProperties {

    private KafkaNodeProperties() {
    }

    /** The settings of {@code node} in a cluster of {@code nodes}, with {@code overrides} applied last. */
    static Properties of(KafkaNodeSpec node, List<KafkaNodeSpec> nodes, Map<String, String> overrides) {
        int replication = Math.min(3, nodes.size());
        int minIsr = Math.max(1, replication - 1);
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(node.nodeId()));
        props.setProperty("controller.quorum.voters",
                nodes.stream().map(KafkaNodeSpec::voter).collect(Collectors.joining(",")));
        props.setProperty("listeners", "PLAINTEXT://" + node.bootstrapAddress()
                + ",CONTROLLER://" + KafkaNodeSpec.HOST + ":" + node.controllerPort());
        props.setProperty("advertised.listeners", "PLAINTEXT://" + node.bootstrapAddress());
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("log.dirs", node.logDirectory().toString());

        props.setProperty("num.partitions", "1");
        props.setProperty("default.replication.factor", Integer.toString(replication));
        props.setProperty("min.insync.replicas", Integer.toString(minIsr));
        props.setProperty("offsets.topic.replication.factor", Integer.toString(replication));
        props.setProperty("transaction.state.log.replication.factor", Integer.toString(replication));
        props.setProperty("transaction.state.log.min.isr", Integer.toString(minIsr));
        props.setProperty("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        props.setProperty("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
        // 50 partitions each (the defaults) make the first consumer group and the first
        // transaction wait seconds for leaders on a small machine.
        props.setProperty("offsets.topic.num.partitions", "5");
        props.setProperty("transaction.state.log.num.partitions", "5");

        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // The default reserves ~128 MiB of heap per broker for log compaction.
        props.setProperty("log.cleaner.dedupe.buffer.size", "2097152");
        // A restarted broker is refused ("another broker is registered with that id") until the
        // session of its previous life expires, and a controlled shutdown moves at heartbeat pace:
        // with the defaults (2 s, 9 s) each restart in a test took ~10 s.
        props.setProperty("broker.heartbeat.interval.ms", "500");
        props.setProperty("broker.session.timeout.ms", "4000");
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "4");
        props.setProperty("num.recovery.threads.per.data.dir", "1");
        // Transactions v2 (Kafka 4's default): a produce that opens a transaction right after the previous one's
        // commit meets CONCURRENT_TRANSACTIONS until the commit markers are written, and the broker retries it after
        // this backoff — 20 ms by default, a stall capture's next batch (or heartbeat) pays whole. Kafka alone in
        // bench scenario 4, transactions every 10 ms: lag p99 44-51 ms in two runs of three with 20, 17-22 ms
        // (medians) with 1; with 2 ms windows the producer committed 955-1,546 times in 6 s instead of 3,000
        // (KAFKA-20000).
        props.setProperty("add.partitions.to.txn.retry.backoff.ms", "1");

        overrides.forEach(props::setProperty);
        return props;
    }

    /** Writes {@code props} to the node's server.properties. */
    static void write(KafkaNodeSpec node, Properties props) {
        try {
            Files.createDirectories(node.directory());
            try (Writer out = Files.newBufferedWriter(node.propertiesFile())) {
                props.store(out, "Concord embedded KRaft node " + node.nodeId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + node.propertiesFile(), e);
        }
    }
}
