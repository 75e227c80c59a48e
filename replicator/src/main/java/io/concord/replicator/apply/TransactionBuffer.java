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
 */
final class TransactionBuffer {

    private final List<BatchApplier.RemoteEvent> events = new ArrayList<>();
    private int whole;
    /** When the oldest event still buffered arrived (clock millis), or -1 when none is. */
    private long oldestArrival = -1;
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

    int whole() {
        return whole;
    }

    /** The events of the whole transactions at the front. */
    List<BatchApplier.RemoteEvent> wholeTransactions() {
        return List.copyOf(events.subList(0, whole));
    }

    /** Drops the first {@code count} events, applied or set aside. */
    void drop(int count) {
        events.subList(0, count).clear();
        whole -= count;
        oldestArrival = -1; // what is left is an unfinished transaction: its next event sets it again
    }

    /** Notes that an event was just taken in, at {@code nowMillis}. */
    void arrived(long nowMillis) {
        if (oldestArrival < 0) {
            oldestArrival = nowMillis;
        }
    }

    /** Whether the oldest buffered event has waited at least {@code delayMillis}. */
    boolean waitedAtLeast(long delayMillis, long nowMillis) {
        return oldestArrival >= 0 && nowMillis - oldestArrival >= delayMillis;
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
