package io.concord.resolver.conformance;

import java.util.List;

/**
 * A generated history of one row: replicas with skewed clocks, local writes and deliveries in
 * some order, possibly repeated. {@link Simulation} replays it.
 *
 * @param replicas     how many replicas (DCs a, b, c, ...), 3 to 5
 * @param skewMicros   each replica's wall-clock error, minutes either way
 * @param steps        what happens, in order
 * @param deliverySeed the order of the final delivery of everything to everyone
 */
public record History(int replicas, List<Long> skewMicros, List<Step> steps, long deliverySeed) {

    /** One event of a history. Replica and write numbers wrap around what exists. */
    public sealed interface Step permits LocalWrite, Deliver, Advance {
    }

    /** A replica writes the row: insert if it has none, else update or (sometimes) delete. */
    public record LocalWrite(int replica, int opRoll, long valueSeed) implements Step {
    }

    /** A write made so far reaches a replica (again, perhaps). */
    public record Deliver(int write, int replica) implements Step {
    }

    /** Wall-clock time passes. */
    public record Advance(long micros) implements Step {
    }
}
