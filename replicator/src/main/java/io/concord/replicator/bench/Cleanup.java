package io.concord.replicator.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tear-down steps that must not hide the failure that led to them, nor stop the steps after them. */
final class Cleanup {

    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

    /** A tear-down step. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private Cleanup() {
    }

    static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("bench clean-up: could not {}: {}", what, e.toString());
        }
    }
}
