package io.concord.replicator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tasks really run at the same time (KRaft nodes wait for each other), and a failure surfaces only after all ended. */
class ParallelTest {

    @Test
    void runsTasksThatWaitForEachOther() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        Callable<Boolean> waitsForTheOther = () -> {
            bothStarted.countDown();
            return bothStarted.await(5, TimeUnit.SECONDS);
        };

        assertThat(Parallel.call("test", List.of(waitsForTheOther, waitsForTheOther))).containsExactly(true, true);
    }

    @Test
    void throwsTheFirstFailureAfterEveryTaskEnded() {
        AtomicInteger finished = new AtomicInteger();
        Runnable slow = () -> {
            sleep(200);
            finished.incrementAndGet();
        };
        Runnable failing = () -> {
            throw new IllegalStateException("broker 1 failed");
        };

        assertThatThrownBy(() -> Parallel.run("test", List.of(failing, slow))).hasMessage("broker 1 failed");
        assertThat(finished).hasValue(1);
    }

    @Test
    void reportsEachOutcome() {
        List<Parallel.Outcome<String>> outcomes = Parallel.callAll("test", List.of(
                () -> "kafka",
                () -> {
                    throw new java.io.IOException("no port");
                }));

        assertThat(outcomes.get(0).value()).isEqualTo("kafka");
        assertThat(outcomes.get(1).error()).hasMessage("no port");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
