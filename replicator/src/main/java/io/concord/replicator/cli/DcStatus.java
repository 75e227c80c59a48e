package io.concord.replicator.cli;

import java.util.List;

/**
 * Where one DC stands, as {@code concord status} shows it: read from its database (and, for how far behind apply
 * is, from Kafka). Times are ISO-8601 UTC; a null field is not known (yet).
 */
record DcStatus(String dc, Capture capture, List<Peer> peers, long openConflicts, long newDeadLetters,
        String kafkaProblem) {

    /**
     * @param slotActive   a capture process is attached to the slot now
     * @param slotLagBytes WAL written here that capture has not confirmed yet
     */
    record Capture(String slot, boolean slotExists, boolean slotActive, String confirmedLsn, Long slotLagBytes,
            String publishedLsn, Long epoch, String progressUpdatedAt) {
    }

    /**
     * @param nextOffset       the first offset of the peer's topic not applied here
     * @param behind           committed events on the topic not applied yet (null when Kafka did not answer)
     * @param lastAppliedAt    when this DC last applied a batch of the peer
     * @param heartbeatLagMillis how old the peer's last heartbeat was when it arrived here
     */
    record Peer(String peer, boolean consumed, String topic, Long nextOffset, Long behind, String lastAppliedAt,
            Long heartbeatLagMillis, String lastHeartbeatAt) {
    }
}
