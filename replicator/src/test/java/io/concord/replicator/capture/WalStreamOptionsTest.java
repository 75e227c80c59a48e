package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream options are checked when built and turned into the slot options pgoutput expects. */
class WalStreamOptionsTest {

    @Test
    void quotesPublicationNames() {
        WalStreamOptions options = WalStreamOptions.of("concord_a", "concord", "Mixed Case");
        assertThat(options.publicationNamesOption()).isEqualTo("\"concord\",\"Mixed Case\"");
        assertThat(options.protocolVersion()).isEqualTo(1);
        assertThat(options.messages()).isTrue();
    }

    @Test
    void failsFastOnBadValues() {
        assertThatThrownBy(() -> WalStreamOptions.of("Bad-Slot", "p")).hasMessageContaining("slot name 'Bad-Slot'");
        assertThatThrownBy(() -> WalStreamOptions.of("s")).hasMessageContaining("publication");
        assertThatThrownBy(() -> WalStreamOptions.of("s", "a,b")).hasMessageContaining("'a,b'");
        assertThatThrownBy(() -> new WalStreamOptions("s", List.of("p"), 5, true, null, Duration.ofSeconds(1)))
                .hasMessageContaining("protocol version 5");
        assertThatThrownBy(() -> new WalStreamOptions("s", List.of("p"), 1, true, "local", Duration.ofSeconds(1)))
                .hasMessageContaining("origin 'local'");
        assertThatThrownBy(() -> new WalStreamOptions("s", List.of("p"), 1, true, null, Duration.ZERO))
                .hasMessageContaining("status interval");
    }
}
