package io.concord.replicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a refused row is shown in a dead letter's reason. */
class RowFailuresTest {

    @Test
    void aRowOfMegabytesIsCutSoThatTheReasonStaysReadable() {
        String huge = "{\"id\":\"1\",\"val\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";

        String shown = RowFailures.abbreviate(huge);

        assertThat(shown).startsWith("{\"id\":\"1\",\"val\":\"xxx").endsWith("... (10485779 characters in all)");
        assertThat(shown.length()).isLessThan(RowFailures.MAX_ROW_CHARS + 50);
    }

    @Test
    void anOrdinaryRowIsShownWhole() {
        assertThat(RowFailures.abbreviate("{\"id\":\"1\"}")).isEqualTo("{\"id\":\"1\"}");
    }
}
