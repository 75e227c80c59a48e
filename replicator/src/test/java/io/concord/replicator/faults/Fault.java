package io.concord.replicator.faults;

import java.time.Duration;

/**
 * One fault of a scenario: what strikes, where, when after the load started, and for how long before it is
 * undone. A cut-off lasts until the scenario heals everything at the end of the load.
 *
 * @param kind   what happens
 * @param dc     the DC it strikes (for a broker fault, unused)
 * @param broker the broker it strikes (for other faults, unused)
 * @param at     when, after the load started
 * @param length how long until it is undone
 */
record Fault(Kind kind, String dc, int broker, Duration at, Duration length) {

    /** The faults the suite injects. */
    enum Kind {
        /** {@code kill -9} of the DC's replicator, started again after the length. */
        KILL_REPLICATOR,
        /** SIGTERM to the DC's replicator, a clean exit, started again after the length. */
        RESTART_REPLICATOR,
        /** {@code kill -9} of one Kafka broker, started again on its data after the length. */
        KILL_BROKER,
        /** The DC's PostgreSQL shut down (fast: sessions cut, open transactions rolled back), started again. */
        RESTART_POSTGRES,
        /** The DC cut off: its replicator stopped while both sides keep writing, until the scenario heals. */
        CUT_OFF
    }

    static Fault on(Kind kind, String dc, Duration at, Duration length) {
        return new Fault(kind, dc, -1, at, length);
    }

    static Fault broker(int broker, Duration at, Duration length) {
        return new Fault(Kind.KILL_BROKER, null, broker, at, length);
    }

    /** The replicator, broker or database it strikes. */
    String target() {
        return switch (kind) {
            case KILL_BROKER -> "broker " + broker;
            case RESTART_POSTGRES -> "postgres " + dc;
            default -> "replicator " + dc;
        };
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case KILL_REPLICATOR -> "kill -9 replicator " + dc;
            case RESTART_REPLICATOR -> "graceful restart of replicator " + dc;
            case KILL_BROKER -> "kill -9 Kafka broker " + broker;
            case RESTART_POSTGRES -> "restart PostgreSQL of " + dc;
            case CUT_OFF -> "cut off DC " + dc;
        };
        return what + " at " + seconds(at) + (kind == Kind.CUT_OFF ? " until healed" : " for " + seconds(length));
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
