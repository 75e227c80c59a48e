package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When capture stops reading into a batch and publishes it: full, or live changes read for max-batch-delay. */
class CaptureBatchReadingTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** max-batch-events 10,000, max-batch-delay 20 ms. */
    private final CaptureSettings settings = new CaptureSettings("slot", "publication", 10_000, 20 * MS, 5_000, 2,
            20_000, false);

    @Test
    void liveChangesArePublishedOnceTheBatchHasReadForTheDelay() {
        long committedJustNow = 5_000; // µs ago
        assertThat(CaptureLoop.keepReading(settings, 300, 19 * MS, committedJustNow)).isTrue();
        assertThat(CaptureLoop.keepReading(settings, 300, 20 * MS, committedJustNow)).isFalse();
        assertThat(CaptureLoop.keepReading(settings, 300, 1_000 * MS, CaptureLoop.BACKLOG_AGE_MICROS)).isFalse();
    }

    @Test
    void aBacklogFillsWholeBatchesHoweverLongTheyRead() {
        long committedLongAgo = CaptureLoop.BACKLOG_AGE_MICROS + 1;
        assertThat(CaptureLoop.keepReading(settings, 9_999, 5_000 * MS, committedLongAgo)).isTrue();
        assertThat(CaptureLoop.keepReading(settings, 10_000, 1 * MS, committedLongAgo)).as("full").isFalse();
        assertThat(CaptureLoop.keepReading(settings, 10_000, 1 * MS, 0)).as("full").isFalse();
    }
}
