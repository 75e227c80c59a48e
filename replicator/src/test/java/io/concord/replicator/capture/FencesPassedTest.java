package io.concord.replicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.concord.replicator.capture.pgoutput.LogicalMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FencesPassedTest {

    private final FencesPassed fences = FencesPassed.of("slot_" + System.nanoTime());

    @Test
    void aFenceExpectedBeforeItIsWrittenIsToldWhenCapturePassedIt() throws Exception {
        try (FencesPassed.Expected expected = fences.expect("p/1")) {
            assertThat(expected.await(0)).isFalse();
            fences.passed("p/2"); // another applier's fence
            assertThat(expected.await(0)).isFalse();
            fences.passed("p/1");
            assertThat(expected.await(0)).isTrue();
        }
    }

    @Test
    void saysWhetherACaptureOfTheSlotRunsInThisProcess() {
        assertThat(fences.captureHere()).isFalse();
        fences.captureActive(true);
        assertThat(fences.captureHere()).isTrue();
        fences.captureActive(false);
        assertThat(fences.captureHere()).isFalse();
    }

    @Test
    void readsTheFenceNameFromTheNonTransactionalMessageOnly() {
        assertThat(FencesPassed.fenceOf(message(false, FencesPassed.PREFIX, "p/7"))).isEqualTo("p/7");
        assertThat(FencesPassed.fenceOf(message(true, FencesPassed.PREFIX, "p/7"))).isNull();
        assertThat(FencesPassed.fenceOf(message(false, AppliedBatchMessage.PREFIX, "p/7"))).isNull();
    }

    private static LogicalMessage message(boolean transactional, String prefix, String content) {
        return new LogicalMessage(transactional, Lsn.of(0x10), prefix,
                ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }
}
