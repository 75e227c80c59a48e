package io.concord.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

    private final AtomicLong wall = new AtomicLong(1_000);
    private final HybridLogicalClock clock = new HybridLogicalClock(wall::get);

    @Test
    void followsTheWallClockWhenItMovesAhead() {
        assertThat(clock.tick()).isEqualTo(1_000);
        wall.set(5_000);
        assertThat(clock.tick()).isEqualTo(5_000);
    }

    @Test
    void addsOneMicrosecondWhenTheWallClockStallsOrGoesBack() {
        clock.tick(1_000);
        assertThat(clock.tick(1_000)).isEqualTo(1_001);
        assertThat(clock.tick(10)).isEqualTo(1_002);
    }

    @Test
    void receiveMovesPastARemoteClockAhead() {
        clock.receive(9_000_000);
        assertThat(clock.current()).isEqualTo(9_000_000);
        assertThat(clock.tick()).isEqualTo(9_000_001);
    }

    @Test
    void receiveNeverMovesBackwards() {
        clock.tick(50_000);
        assertThat(clock.receive(10)).isEqualTo(50_000);
    }

    @Test
    void resumesFromTheLastIssuedValue() {
        HybridLogicalClock restarted = new HybridLogicalClock(wall::get, 7_000);
        assertThat(restarted.tick()).isEqualTo(7_001);
    }

    @Test
    void systemClockIsInMicroseconds() {
        long micros = HybridLogicalClock.system().tick();
        assertThat(micros).isBetween(System.currentTimeMillis() * 1_000 - 60_000_000L,
                System.currentTimeMillis() * 1_000 + 60_000_000L);
    }
}
