package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.SourceTransaction;
import java.util.ArrayList;
import java.util.List;

/**
 * What a forwarding DC (star hub, ring) passes on of a batch: the events it applied, with each source
 * transaction's last forwarded event marked {@code source.last}. A forwarder skips what it had seen already,
 * often a transaction's original last event; unmarked, the next DC could apply that transaction only once the
 * next one, or a heartbeat, showed it had ended.
 */
final class ForwardedEvents {

    private ForwardedEvents() {
    }

    /**
     * The events, in order, each transaction's last one marked (copied, not changed: the batch may be tried
     * again). {@code applied} holds whole transactions' applied events in topic order, as a batch does.
     */
    static List<ChangeEvent> of(List<ChangeEvent> applied) {
        List<ChangeEvent> forward = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            ChangeEvent event = applied.get(i);
            boolean ends = i == applied.size() - 1 || !TransactionBuffer.sameTransaction(event, applied.get(i + 1));
            if (ends && !event.getSource().getLast()) {
                event = endingItsTransaction(event);
            }
            forward.add(event);
        }
        return forward;
    }

    /** A shallow copy marked last: the parts it shares are never changed, and a deep copy costs a lot more. */
    private static ChangeEvent endingItsTransaction(ChangeEvent event) {
        ChangeEvent copy = new ChangeEvent();
        for (int field = 0; field < event.getSchema().getFields().size(); field++) {
            copy.put(field, event.get(field));
        }
        SourceTransaction source = event.getSource();
        copy.setSource(new SourceTransaction(source.getXid(), source.getCommitLsn(), source.getCommitTimeMicros(),
                source.getIndex(), true));
        return copy;
    }
}
