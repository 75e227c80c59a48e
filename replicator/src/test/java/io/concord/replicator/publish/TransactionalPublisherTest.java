package io.concord.replicator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.embedded.LoopbackPorts;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TransactionalPublisherTest {

    @Test
    void aPublisherThatCannotOpenIsClosedAgain() {
        Properties client = new Properties();
        // A loopback port nobody listens on: the real client, no broker to register the transactional id with.
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + LoopbackPorts.reserve());
        client.put(CommonClientConfigs.CLIENT_ID_CONFIG, "publisher-test-unreachable");
        client.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500");

        assertThatThrownBy(() -> TransactionalPublisher.opened(client, "x", "nowhere"))
                .isInstanceOf(TimeoutException.class);

        // Its producer's network thread is gone with it, not left retrying the broker forever.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().contains("publisher-test-unreachable"));
    }
}
