package io.concord.replicator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandOffCostTest {

    @Test
    void measuresRealRoundTripsAndTheCpuBothEndsSpent() throws Exception {
        HandOffCost.Measured measured = HandOffCost.measure(300);

        // A loopback round trip takes at least a few microseconds anywhere, and never a second.
        assertThat(measured.roundTripMicros()).isBetween(0.5, 1_000_000.0);
        // Both threads woke 300 times and made system calls each time: that is CPU, whatever the machine.
        assertThat(measured.cpuMicros()).isPositive();
        assertThat(measured.describe()).startsWith("loopback round trip ").contains("µs of CPU")
                .contains("(300 one-byte round trips");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("bench-hand-off-echo"));
    }
}
