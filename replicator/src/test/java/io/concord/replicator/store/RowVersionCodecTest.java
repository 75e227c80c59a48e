package io.concord.replicator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.concord.version.RowVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Row versions to their Avro form and back. */
class RowVersionCodecTest {

    @Test
    void roundTripsVectorClockAndWriter() {
        RowVersion version = RowVersion.parse("a:3,b:1,eu-west-1:7@1700000000000001/b");

        io.concord.event.RowVersion avro = RowVersionCodec.toAvro(version);

        assertThat(avro.getVector()).isEqualTo(Map.of("a", 3L, "b", 1L, "eu-west-1", 7L));
        assertThat(List.copyOf(avro.getVector().keySet())).as("DC-id order").containsExactly("a", "b", "eu-west-1");
        assertThat(avro.getHlc()).isEqualTo(1_700_000_000_000_001L);
        assertThat(avro.getDc()).isEqualTo("b");
        assertThat(RowVersionCodec.fromAvro(avro)).isEqualTo(version);
    }

    @Test
    void anInvalidVersionIsRefused() {
        assertThatThrownBy(() -> RowVersionCodec.fromAvro(new io.concord.event.RowVersion(Map.of("a", 1L), 5L, "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names writer 'b'");
    }
}
