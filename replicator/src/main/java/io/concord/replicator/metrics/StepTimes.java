package io.concord.replicator.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a pipeline's time goes, step by step (apply's {@code ApplyPhases}, capture's {@code CapturePhases}):
 * nanoseconds spent in each step of its batches, summed, and the slowest batch since {@link #takeSlowest} was last
 * called. The sums say what the pipeline spends its time on; the slowest batches are what the tail of the
 * replication lag is made of. Read by the metrics endpoint and the benchmark. Thread-safe.
 *
 * @param <S> the steps, in the order they run
 */
public abstract class StepTimes<S extends Enum<S>> {

    private final S[] steps;
    private final String items;
    private final AtomicLongArray nanos;
    private Batch slowest;

    /** Times of the steps of {@code type}; a batch's size is counted in {@code items} (e.g. "events"). */
    protected StepTimes(Class<S> type, String items) {
        this.steps = type.getEnumConstants();
        this.items = items;
        this.nanos = new AtomicLongArray(steps.length);
    }

    /** Nanoseconds spent in {@code step} so far. */
    public long nanos(S step) {
        return nanos.get(step.ordinal());
    }

    /** Every step with its nanoseconds so far, in the order the steps run. */
    public Map<S, Long> snapshot() {
        Map<S, Long> snapshot = new EnumMap<>(steps[0].getDeclaringClass());
        for (S step : steps) {
            snapshot.put(step, nanos(step));
        }
        return snapshot;
    }

    /** The slowest batch since the last call (null if none), and starts looking for the next one. */
    public synchronized Batch takeSlowest() {
        Batch taken = slowest;
        slowest = null;
        return taken;
    }

    /** A stopwatch for one batch (or one attempt at it) whose first step began at {@code startNanos}. */
    public Stopwatch stopwatch(long startNanos) {
        return new Stopwatch(startNanos);
    }

    private synchronized void finished(Batch batch) {
        if (slowest == null || batch.totalNanos() > slowest.totalNanos()) {
            slowest = batch;
        }
    }

    /** One finished batch: its size and the nanoseconds of each step. */
    public final class Batch {

        private final int size;
        private final long[] stepNanos;

        private Batch(int size, long[] stepNanos) {
            this.size = size;
            this.stepNanos = stepNanos;
        }

        public long totalNanos() {
            long total = 0;
            for (long n : stepNanos) {
                total += n;
            }
            return total;
        }

        /** E.g. "212.0 ms for 60 events: prepare 0.1 ms, lock 0.3 ms, ...". */
        @Override
        public String toString() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.1f ms for %d %s:", totalNanos() / 1e6,
                    size, items));
            for (S step : steps) {
                line.append(step.ordinal() == 0 ? " " : ", ").append(step.name().toLowerCase(Locale.ROOT))
                        .append(String.format(Locale.ROOT, " %.1f ms", stepNanos[step.ordinal()] / 1e6));
            }
            return line.toString();
        }
    }

    /** Times consecutive steps: each {@link #done} closes the step that ran since the last, and adds it to the sums. */
    public final class Stopwatch {

        private final long[] own = new long[steps.length];
        private long last;

        private Stopwatch(long startNanos) {
            this.last = startNanos;
        }

        public void done(S step) {
            long now = System.nanoTime();
            nanos.addAndGet(step.ordinal(), now - last);
            own[step.ordinal()] += now - last;
            last = now;
        }

        /** The batch timed is done, {@code size} items: a candidate for the slowest. */
        public void finish(int size) {
            finished(new Batch(size, own.clone()));
        }
    }
}
