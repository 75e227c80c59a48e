package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.replicator.testing.KafkaRoundTrip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A broker in a child JVM can be killed with SIGKILL and started again with its data. */
class ChildProcessKafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void killedBrokerRestartsWithItsData() {
        ProcessHandle killed;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().childProcesses(true).start()) {
            killed = kafka.brokerProcess(0).orElseThrow();
            assertThat(killed.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
            kafka.createTopic("survives", 2, 1);
            KafkaRoundTrip.produce(kafka.bootstrapServers(), "survives", "before", 200);

            kafka.killBroker(0);
            assertThat(killed.isAlive()).isFalse();
            kafka.startBroker(0);
            KafkaRoundTrip.produce(kafka.bootstrapServers(), "survives", "after", 200);

            List<String> expected = new ArrayList<>(KafkaRoundTrip.values("before", 200));
            expected.addAll(KafkaRoundTrip.values("after", 200));
            assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "survives", 400, TIMEOUT))
                    .containsExactlyInAnyOrderElementsOf(expected);
            killed = kafka.brokerProcess(0).orElseThrow();
        }
        assertThat(killed.isAlive()).as("child JVM after close").isFalse();
    }

    @Test
    void brokersInThisJvmCannotBeKilled() {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
            assertThat(kafka.brokerProcess(0)).isEmpty();
            assertThatThrownBy(() -> kafka.killBroker(0)).hasMessageContaining("childProcesses(true)");
        }
    }
}
