package io.concord.replicator.capture;

import io.concord.replicator.config.ConcordConfig;

/**
 * Capture's tuning, from config or tests.
 *
 * @param slot the replication slot
 * @param publication the publication over the replicated tables
 * @param maxBatchEvents most changes published before Kafka is waited for and the slot confirmed
 * @param maxBatchDelayNanos how long a batch keeps reading while changes keep coming
 * @param heartbeatMillis how often a heartbeat is published
 * @param idlePollMillis how long to sleep when the server has sent nothing new
 * @param cachedRows how many row states stay in memory between batches
 * @param forward whether events applied here are republished (star hub, ring)
 */
public record CaptureSettings(String slot, String publication, int maxBatchEvents, long maxBatchDelayNanos,
        long heartbeatMillis, long idlePollMillis, int cachedRows, boolean forward) {

    public static CaptureSettings of(ConcordConfig config) {
        return new CaptureSettings(config.capture().slot(), config.capture().publication(),
                config.capture().maxBatchEvents(), config.capture().maxBatchDelay().toNanos(),
                config.capture().heartbeatInterval().toMillis(), 2,
                // Between batches only: a batch keeps the states it touches itself (CaptureLoop.prepare).
                Math.max(20_000, 2 * config.capture().maxBatchEvents()), config.forwardsAppliedChanges());
    }
}
