package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Servers start together; a failed start closes the ones that did start; close reaches every server. */
class LocalDatacentersTest {

    private final List<String> closed = new CopyOnWriteArrayList<>();

    @Test
    void startsKafkaAndOneServerPerDatacenter() {
        try (LocalDatacenters dcs = LocalDatacenters.start(List.of("a", "b"), FakeKafka::new, FakePostgres::new)) {
            assertThat(dcs.datacenters()).containsExactly("a", "b");
            assertThat(dcs.postgres("b").jdbcUrl()).isEqualTo("jdbc:fake://b/postgres");
            assertThat(dcs.kafka().bootstrapServers()).isEqualTo("fake:9092");
            assertThatThrownBy(() -> dcs.postgres("c")).hasMessageContaining("[a, b]");
        }
        assertThat(closed).containsExactlyInAnyOrder("kafka", "a", "b");
    }

    @Test
    void aFailedStartClosesWhatStarted() {
        assertThatThrownBy(() -> LocalDatacenters.start(List.of("a", "b", "c"), FakeKafka::new, dc -> {
            if (dc.equals("b")) {
                throw new IllegalStateException("no binaries for b");
            }
            return new FakePostgres(dc);
        })).hasMessageContaining("no binaries for b");

        assertThat(closed).containsExactlyInAnyOrder("kafka", "a", "c");
    }

    /** A Kafka cluster that only notes that it was closed. */
    private final class FakeKafka implements KafkaCluster {
        @Override
        public String bootstrapServers() {
            return "fake:9092";
        }

        @Override
        public int brokerCount() {
            return 1;
        }

        @Override
        public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        }

        @Override
        public void stopBroker(int index) {
        }

        @Override
        public void startBroker(int index) {
        }

        @Override
        public void close() {
            closed.add("kafka");
        }
    }

    /** A PostgreSQL server that only notes that it was closed. */
    private final class FakePostgres implements PostgresServer {
        private final String dc;

        FakePostgres(String dc) {
            this.dc = dc;
        }

        @Override
        public String jdbcUrl(String database) {
            return "jdbc:fake://" + dc + "/" + database;
        }

        @Override
        public String user() {
            return "postgres";
        }

        @Override
        public String password() {
            return "postgres";
        }

        @Override
        public void stop() {
        }

        @Override
        public void start() {
        }

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public void close() {
            closed.add(dc);
        }
    }
}
