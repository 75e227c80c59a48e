package io.concord.replicator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaFloorTest {

    @Test
    void theFirstShapeIsCaptureAsConfiguredByDefault() throws Exception {
        ConcordConfig defaults = new ConfigLoader(Map.<String, String>of()::get).parse("""
                dc: a
                postgres:
                  url: jdbc:postgresql://localhost:5432/app
                  user: concord
                kafka:
                  bootstrap-servers: localhost:9092
                peers: [b]
                tables:
                  - name: items
                    resolver: lww
                """);

        KafkaFloor.Shape first = KafkaFloor.SHAPES.get(0);

        assertThat(first.transactional()).as("capture publishes in transactions").isTrue();
        assertThat(first.window()).as("capture.max-batch-delay by default").isEqualTo(defaults.capture().maxBatchDelay());
        assertThat(KafkaFloor.SHAPES).filteredOn(shape -> !shape.transactional()).singleElement()
                .extracting(KafkaFloor.Shape::window).isEqualTo(first.window());
    }
}
