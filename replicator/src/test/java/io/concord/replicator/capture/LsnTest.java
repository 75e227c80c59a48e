package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lsn reads and prints X/Y like pg_lsn, and orders as an unsigned 64-bit number. */
class LsnTest {

    @Test
    void parsesAndPrintsLikePostgres() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16_B374D848L);
        assertThat(lsn.toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.INVALID);
        assertThat(Lsn.parse("0/1a").toString()).isEqualTo("0/1A");
        assertThat(Lsn.of(-1).toString()).isEqualTo("FFFFFFFF/FFFFFFFF");
        assertThat(Lsn.parse("FFFFFFFF/FFFFFFFF")).isEqualTo(Lsn.of(-1));
    }

    @Test
    void printsEveryPositionAsPostgresDoes() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            // Halves of every width, zero and all ones included.
            long high = random.nextLong() >>> random.nextInt(64);
            long low = random.nextLong() >>> random.nextInt(64);
            long value = (high << 32) | (low & 0xFFFFFFFFL);
            String expected = Long.toHexString(value >>> 32).toUpperCase() + "/"
                    + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
            assertThat(Lsn.of(value).toString()).isEqualTo(expected);
            assertThat(Lsn.parse(expected)).isEqualTo(Lsn.of(value));
        }
    }

    @Test
    void ordersUnsigned() {
        List<Lsn> lsns = new ArrayList<>(List.of(Lsn.of(-1), Lsn.parse("1/0"), Lsn.INVALID, Lsn.parse("0/FFFFFFFF"),
                Lsn.of(Long.MIN_VALUE)));
        Collections.sort(lsns);
        assertThat(lsns).containsExactly(Lsn.INVALID, Lsn.parse("0/FFFFFFFF"), Lsn.parse("1/0"),
                Lsn.parse("80000000/0"), Lsn.parse("FFFFFFFF/FFFFFFFF"));
        assertThat(Lsn.parse("1/0").isAfter(Lsn.parse("0/FFFFFFFF"))).isTrue();
        assertThat(Lsn.parse("0/10").isBefore(Lsn.of(Long.MIN_VALUE))).isTrue();
        assertThat(Lsn.INVALID.isValid()).isFalse();
    }

    @Test
    void refusesWhatIsNotAnLsn() {
        for (String bad : List.of("", "/", "1/", "/1", "12", "1/2/3", "g/0", "123456789/0", "0/123456789", "-1/0")) {
            assertThatThrownBy(() -> Lsn.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("LSN");
        }
    }
}
