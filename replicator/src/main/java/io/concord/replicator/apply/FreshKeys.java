package io.concord.replicator.apply;

import io.concord.event.Operation;
import java.util.List;

/**
 * Decides when a batch is first tried as <em>fresh keys</em>: a batch that only inserts, applied as if none of its
 * keys had a row or a stored state here, without the statement that locks the rows and the one that reads their
 * states (together a third of the server's statement time on a backlog of new keys, by pg_stat_statements). The
 * guess is checked where it matters, by the writes themselves: the rows go in with a plain insert, which fails if a
 * row of the key exists, and the states with one that fails if a state of the key is stored (a tombstone
 * included). A failed guess rolls the attempt back and the batch goes the ordinary way (see {@code BatchApplier}).
 *
 * <p>A miss costs a rolled-back attempt, and a workload may keep missing (one that re-inserts deleted keys finds
 * their tombstones). So after a miss the next {@value #FIRST_PAUSE} batches of inserts skip the guess, twice as many
 * after each further miss in a row, up to {@value #LONGEST_PAUSE}; a hit ends the pauses.
 *
 * <p>How each batch's guess went is on its outcome ({@code BatchApplier.FreshKeyGuess}) and in the metrics.
 * Not thread-safe: one per applier.
 */
final class FreshKeys {

    static final int FIRST_PAUSE = 4;
    static final int LONGEST_PAUSE = 1_024;

    private int pause;
    private int skipsLeft;

    /**
     * Whether to try {@code events} as fresh keys: they only insert (every replicated table's key is held by a unique
     * index, so an insert of a key that has a row fails), and no pause after a miss is running.
     */
    boolean worthTrying(List<BatchApplier.RemoteEvent> events) {
        for (BatchApplier.RemoteEvent remote : events) {
            if (remote.event().getOp() != Operation.INSERT) {
                return false;
            }
        }
        if (skipsLeft > 0) {
            skipsLeft--;
            return false;
        }
        return true;
    }

    /** The guess held: the batch committed as fresh keys. */
    void hit() {
        pause = 0;
    }

    /** The guess failed: a row or a state of some key was there. */
    void miss() {
        pause = pause == 0 ? FIRST_PAUSE : Math.min(LONGEST_PAUSE, pause * 2);
        skipsLeft = pause;
    }
}
