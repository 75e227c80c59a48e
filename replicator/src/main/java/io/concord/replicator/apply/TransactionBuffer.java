package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The change events of one input partition not yet applied, and how many of them (from the front) form
 * whole source transactions: only those may be applied, so that no source transaction is split across two
 * local commits.
 *
 * <p>A transaction is whole once its last event ({@code source.last}) arrived, or once an event of another
 * transaction follows it. The second rule matters for forwarded events from an older forwarder, which passed
 * on only the events it applied, the original last event perhaps not among them; a forwarder now marks the
 * last one it passes on ({@link ForwardedEvents}).
 *
 * <p>Whole transactions handed to the applier stay at the front until they are applied ({@link #drop}), so that the
 * buffer is empty only when nothing taken in is left to apply; {@link #take} hands out only those not handed out
 * yet. Used by the stream thread only.
 */
final class TransactionBuffer {

    private final List<BatchApplier.RemoteEvent> events = new ArrayList<>();
    private int whole;
    /** Events at the front handed to the applier and not applied yet. */
    private int taken;
    /** Since when (clock millis) whole transactions wait to be handed out; -1 when none do. */
    private long readySince = -1;
    /** The next offset to take in; records below it were applied (or set aside) already. */
    long nextOffset = -1;

    /** Whether the position has been checked against {@code concord.apply_progress} since this buffer was made. */
    boolean positioned() {
        return nextOffset >= 0;
    }

    void add(BatchApplier.RemoteEvent remote) {
        boundary(remote.event());
        events.add(remote);
        if (remote.event().getSource().getLast()) {
            whole = events.size();
        }
    }

    /**
     * Takes note of an event that is not buffered (this DC's own, come back around): it still marks where
     * transactions end.
     */
    void boundary(ChangeEvent event) {
        if (!events.isEmpty() && (event.getSource().getLast() || !sameTransaction(last(), event))) {
            whole = events.size();
        }
    }

    /** A heartbeat of {@code publisher}: forwarded events before it are as whole as they will get. */
    void heartbeat(String publisher) {
        if (!events.isEmpty() && !last().getOrigin().equals(publisher)) {
            whole = events.size();
        }
    }

    /** Whether nothing taken in waits to be applied. */
    boolean isEmpty() {
        return events.isEmpty();
    }

    /** Events of whole transactions at the front, handed out or not. */
    int whole() {
        return whole;
    }

    /** Events of whole transactions not handed out yet. */
    int ready() {
        return whole - taken;
    }

    /** The events of the whole transactions not handed out yet. */
    List<BatchApplier.RemoteEvent> wholeTransactions() {
        return List.copyOf(events.subList(taken, whole));
    }

    /** Hands out the whole transactions not handed out yet: they stay buffered until {@link #drop}ped. */
    List<BatchApplier.RemoteEvent> take() {
        List<BatchApplier.RemoteEvent> batch = wholeTransactions();
        taken = whole;
        readySince = -1;
        return batch;
    }

    /** Takes back what was handed out and not applied (the topology is stopping): it may be handed out again. */
    void giveBack() {
        taken = 0;
        readySince = -1;
    }

    /** Notes the time if whole transactions now wait to be handed out and did not before. */
    void noteReady(long nowMillis) {
        if (readySince < 0 && ready() > 0) {
            readySince = nowMillis;
        }
    }

    /** Whether whole transactions have waited to be handed out for at least {@code delayMillis}. */
    boolean readyFor(long delayMillis, long nowMillis) {
        return readySince >= 0 && nowMillis - readySince >= delayMillis;
    }

    /** Drops the first {@code count} events, applied or set aside. */
    void drop(int count) {
        events.subList(0, count).clear();
        whole -= count;
        taken = Math.max(0, taken - count);
    }

    /** Whole transactions cut apart, by the same rules as the buffer's. */
    static List<List<BatchApplier.RemoteEvent>> transactions(List<BatchApplier.RemoteEvent> whole) {
        List<List<BatchApplier.RemoteEvent>> transactions = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < whole.size(); i++) {
            ChangeEvent event = whole.get(i).event();
            if (i > start && !sameTransaction(whole.get(i - 1).event(), event)) {
                transactions.add(whole.subList(start, i));
                start = i;
            }
            if (event.getSource().getLast()) {
                transactions.add(whole.subList(start, i + 1));
                start = i + 1;
            }
        }
        if (start < whole.size()) {
            transactions.add(whole.subList(start, whole.size()));
        }
        return transactions;
    }

    private ChangeEvent last() {
        return events.get(events.size() - 1).event();
    }

    static boolean sameTransaction(ChangeEvent a, ChangeEvent b) {
        return a.getOrigin().equals(b.getOrigin()) && a.getSource().getCommitLsn() == b.getSource().getCommitLsn()
                && a.getSource().getXid() == b.getSource().getXid();
    }
}
