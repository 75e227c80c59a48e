package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Node settings follow the cluster size, and overrides win. */
class KafkaNodePropertiesTest {

    private static final Path DIR = Path.of("/tmp/kafka");

    @Test
    void oneNodeKeepsOneCopyOfEverything() {
        KafkaNodeSpec node = node(0);
        Properties props = KafkaNodeProperties.of(node, List.of(node), Map.of());

        assertThat(props.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("0@127.0.0.1:2000");
        assertThat(props.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:1000,CONTROLLER://127.0.0.1:2000");
        assertThat(props.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(props.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(props.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(props.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
        assertThat(props.getProperty("log.cleaner.dedupe.buffer.size")).isEqualTo("2097152");
        assertThat(props.getProperty("log.dirs")).isEqualTo(DIR.resolve("node-0").resolve("data").toString());
    }

    @Test
    void threeNodesReplicateThriceAndTolerateOneDown() {
        List<KafkaNodeSpec> nodes = List.of(node(0), node(1), node(2));
        Properties props = KafkaNodeProperties.of(nodes.get(1), nodes, Map.of());

        assertThat(props.getProperty("node.id")).isEqualTo("1");
        assertThat(props.getProperty("controller.quorum.voters"))
                .isEqualTo("0@127.0.0.1:2000,1@127.0.0.1:2001,2@127.0.0.1:2002");
        assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:1001");
        assertThat(props.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
        assertThat(props.getProperty("transaction.state.log.replication.factor")).isEqualTo("3");
        assertThat(props.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
        assertThat(props.getProperty("min.insync.replicas")).isEqualTo("2");
    }

    @Test
    void fiveNodesStillReplicateThrice() {
        List<KafkaNodeSpec> nodes = List.of(node(0), node(1), node(2), node(3), node(4));

        assertThat(KafkaNodeProperties.of(nodes.get(0), nodes, Map.of()).getProperty("default.replication.factor"))
                .isEqualTo("3");
    }

    @Test
    void overridesWin() {
        KafkaNodeSpec node = node(0);
        Properties props = KafkaNodeProperties.of(node, List.of(node),
                Map.of("transaction.state.log.min.isr", "7", "log.retention.ms", "1000"));

        assertThat(props.getProperty("transaction.state.log.min.isr")).isEqualTo("7");
        assertThat(props.getProperty("log.retention.ms")).isEqualTo("1000");
    }

    private static KafkaNodeSpec node(int id) {
        return new KafkaNodeSpec(id, 1000 + id, 2000 + id, DIR.resolve("node-" + id));
    }
}
