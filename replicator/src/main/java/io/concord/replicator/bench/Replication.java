package io.concord.replicator.bench;

/**
 * One replication system carrying {@code items} from a database on {@code a} to one on {@code b}, running from
 * creation until {@link #close()}, with its apply side paused and resumed for the backlog scenarios.
 */
interface Replication extends AutoCloseable {

    /** "concord" or "native", as the report names it. */
    String system();

    /** Stops applying on {@code b}; returns once nothing is applied any more. Changes on {@code a} are kept. */
    void pauseApply() throws Exception;

    /** Starts applying on {@code b} again, from where it paused. */
    void resumeApply() throws Exception;

    /** Stops replicating and removes what it created (slots, subscription, Concord's schema and topics). */
    @Override
    void close();
}
