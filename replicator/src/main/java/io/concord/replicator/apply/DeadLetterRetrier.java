package io.concord.replicator.apply;

import io.concord.event.ChangeEvent;
import io.concord.event.codec.EventCodec;
import io.concord.event.codec.EventDecodingException;
import io.concord.replicator.store.DeadLetterStore;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in again the dead letters people asked to retry ({@code concord dlq retry}), on the stream thread,
 * through the peer's own {@link BatchApplier}: only the applier may act under the peer's replication origin,
 * and versions make a late event safe — it is applied, settled as a conflict, or skipped as superseded,
 * exactly as if it had arrived in order. A letter that fails again goes back to {@code new} with the new
 * reason; one that fails retryably stays requested and is tried at the next round.
 */
final class DeadLetterRetrier {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRetrier.class);

    private final ApplyStore store;
    private final EventCodec codec;
    private final Map<String, String> peerOfTopic;
    private final Function<String, BatchApplier> applierOf;
    private final DeadLetterStore letters = new DeadLetterStore();

    DeadLetterRetrier(ApplyStore store, EventCodec codec, Map<String, String> peerOfTopic,
            Function<String, BatchApplier> applierOf) {
        this.store = store;
        this.codec = codec;
        this.peerOfTopic = Map.copyOf(peerOfTopic);
        this.applierOf = applierOf;
    }

    /** Retries every requested letter of {@code partition} of the peers' topics; returns how many were taken in. */
    int retryRequested(int partition) throws SQLException, InterruptedException {
        List<DeadLetterStore.Stored> pending = store.run(db -> letters.retriesRequested(db, peerOfTopic.keySet(),
                partition));
        int taken = 0;
        for (DeadLetterStore.Stored letter : pending) {
            taken += retry(letter) ? 1 : 0;
        }
        return taken;
    }

    private boolean retry(DeadLetterStore.Stored letter) throws SQLException, InterruptedException {
        SpecificRecord decoded;
        try {
            decoded = codec.decode(letter.payload());
        } catch (EventDecodingException e) {
            return failed(letter, "DECODE", "retried, still cannot be decoded: " + e.getMessage());
        }
        if (!(decoded instanceof ChangeEvent event)) {
            return failed(letter, "UNEXPECTED_RECORD", "retried, still a " + decoded.getSchema().getName()
                    + ", which does not belong on a changes topic");
        }
        String peer = peerOfTopic.get(letter.source());
        try {
            BatchApplier.Outcome outcome = applierOf.apply(peer).apply(letter.source(), letter.partition(),
                    List.of(new BatchApplier.RemoteEvent(event, letter.offset())));
            if (outcome.deadLetters() > 0) {
                LOG.warn("dead letter {} retried and refused again (see its new reason)", letter.id());
                return false; // the applier recorded it again: back to new, in its transaction
            }
            store.run(db -> {
                letters.retried(db, letter.id());
                return null;
            });
            LOG.info("dead letter {} ({}:{}@{}) retried: {} applied, {} skipped as superseded", letter.id(),
                    letter.source(), letter.partition(), letter.offset(), outcome.applied(), outcome.skipped());
            return true;
        } catch (ApplyException e) {
            if (e.retryable()) {
                LOG.warn("dead letter {}: retry failed for now, trying again later: {}", letter.id(), e.getMessage());
                return false;
            }
            return failed(letter, "APPLY", "retried, failed again: " + e.getMessage());
        }
    }

    private boolean failed(DeadLetterStore.Stored letter, String errorClass, String reason) throws SQLException {
        LOG.warn("dead letter {}: {}", letter.id(), reason);
        store.run(db -> {
            letters.retryFailed(db, letter.id(), errorClass, reason);
            return null;
        });
        return false;
    }
}
