package io.concord.replicator.capture;

import io.concord.replicator.capture.pgoutput.LogicalMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Word, within one process, from capture to the appliers of its DC that capture has handled a fence
 * ({@code concord.apply.fence} message): everything committed before it in the WAL is recorded.
 *
 * <p>Apply must not compare versions before that point ({@code CaptureBarrier}). Learning it from PostgreSQL
 * takes capture confirming the position to the walsender, the walsender acknowledging it in a keepalive,
 * capture confirming again, and apply polling {@code pg_replication_slots}: several wake-ups of three
 * processes on the path of every batch. Where capture runs in the same process as apply (as in
 * {@code concord run}), it says so here the moment it reads the fence if nothing before it is left to save,
 * else the moment its batch with the fence is flushed. Where it does not (a standby's apply beside another
 * instance's capture), nobody calls {@link #passed}, and apply's polling of PostgreSQL, which always goes on
 * beside, decides.
 *
 * <p>One per replication slot name in the process; thread-safe. Two DCs run in one process under the same slot
 * name (on different servers) would only cost each other the signal: a fence is named apart from every other,
 * so one DC's capture never speaks for the other's, whose appliers then learn it from polling.
 */
public final class FencesPassed {

    /** The prefix of the fence messages; their content names them. */
    public static final String PREFIX = "concord.apply.fence";

    private static final Map<String, FencesPassed> BY_SLOT = new ConcurrentHashMap<>();

    private final Map<String, CountDownLatch> awaited = new ConcurrentHashMap<>();
    private final AtomicInteger activeCaptures = new AtomicInteger();

    private FencesPassed() {
    }

    /** The one for {@code slot} in this process. */
    public static FencesPassed of(String slot) {
        return BY_SLOT.computeIfAbsent(slot, s -> new FencesPassed());
    }

    /** Whether a capture of this slot is active in this process, so that {@link #passed} will be called. */
    public boolean captureHere() {
        return activeCaptures.get() > 0;
    }

    /** Capture of this slot became active in this process ({@code true}) or stopped being ({@code false}). */
    void captureActive(boolean active) {
        activeCaptures.addAndGet(active ? 1 : -1);
    }

    /** The name of the fence {@code message} is, or null if it is none. */
    static String fenceOf(LogicalMessage message) {
        if (message.transactional() || !PREFIX.equals(message.prefix())) {
            return null;
        }
        ByteBuffer content = message.content().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Registers interest in a fence before it is written, so that its passing cannot be missed. */
    public Expected expect(String token) {
        CountDownLatch latch = new CountDownLatch(1);
        awaited.put(token, latch);
        return new Expected(token, latch);
    }

    /** Capture has handled, and persisted everything before, the fence with this content. */
    void passed(String token) {
        CountDownLatch latch = awaited.remove(token);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** A fence apply waits for. Close it once done waiting, whichever way the wait ended. */
    public final class Expected implements AutoCloseable {

        private final String token;
        private final CountDownLatch latch;

        private Expected(String token, CountDownLatch latch) {
            this.token = token;
            this.latch = latch;
        }

        /** The fence message's content. */
        public String token() {
            return token;
        }

        /** Waits at most {@code millis} for capture to pass the fence; whether it has. */
        public boolean await(long millis) throws InterruptedException {
            return latch.await(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            awaited.remove(token, latch);
        }
    }
}
