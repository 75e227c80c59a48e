package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The capture clock's stamps, and how its clock-skew test hook reads its property. */
class CaptureClockTest {

    @Test
    void aLocalWriteIsStampedAfterEverythingTheClockHasSeen() {
        CaptureClock clock = new CaptureClock(100);

        assertThat(clock.tick(50)).as("commit time behind the clock").isEqualTo(101);
        clock.observe(1_000);
        assertThat(clock.tick(500)).as("after a peer's later stamp").isEqualTo(1_001);
        assertThat(clock.tick(5_000)).as("commit time ahead").isEqualTo(5_000);
    }

    @Test
    void theSkewHookReadsIsoDurationsInMicroseconds() {
        assertThat(CaptureClock.skewMicros(null)).isZero();
        assertThat(CaptureClock.skewMicros("PT30S")).isEqualTo(30_000_000L);
        assertThat(CaptureClock.skewMicros("-PT1.5S")).isEqualTo(-1_500_000L);
        assertThat(CaptureClock.skewMicros(" PT0.000002S ")).isEqualTo(2L);
    }

    @Test
    void aSkewThatIsNotADurationIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> CaptureClock.skewMicros("30s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dconcord.clock-skew=30s")
                .hasMessageContaining("PT30S");
    }
}
