package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every write the application saw committed, or sent a COMMIT for without learning the outcome (in doubt).
 * Thread-safe: the workload's writers log into it concurrently.
 */
final class History {

    private final List<Write> writes = new ArrayList<>();
    private final AtomicLong tags = new AtomicLong();

    /** A unique tag for the next value a writer of {@code dc} writes; tags are never reused. */
    String nextTag(String dc) {
        return dc + "-" + tags.incrementAndGet();
    }

    /** Logs a write, numbering it in logging order. */
    synchronized void log(Write write) {
        writes.add(new Write(writes.size() + 1, write.dc(), write.xid(), write.table(), write.id(), write.op(),
                write.text(), write.number(), write.status()));
    }

    /** The committed writes to keys of {@code keys}. */
    synchronized List<Write> committed(KeySpace keys) {
        return writes.stream().filter(w -> w.status() == Write.Status.COMMITTED && keys.contains(w.id())).toList();
    }

    /** The writes of {@code keys} still in doubt (none once {@link #settleInDoubt} has run, normally). */
    synchronized List<Write> inDoubt(KeySpace keys) {
        return writes.stream().filter(w -> w.status() == Write.Status.IN_DOUBT && keys.contains(w.id())).toList();
    }

    /**
     * Asks each DC's PostgreSQL whether the transactions left in doubt committed ({@code pg_xact_status}) and
     * records the answer. Those PostgreSQL cannot tell yet stay in doubt.
     *
     * @return how many were settled, committed and aborted
     */
    int[] settleInDoubt(Function<String, PostgresServer> postgres) throws SQLException {
        List<Write> doubtful;
        synchronized (this) {
            doubtful = writes.stream().filter(w -> w.status() == Write.Status.IN_DOUBT).toList();
        }
        int[] counts = new int[2];
        Map<String, List<Write>> byDc = doubtful.stream().collect(Collectors.groupingBy(Write::dc));
        for (Map.Entry<String, List<Write>> dc : byDc.entrySet()) {
            try (Connection connection = postgres.apply(dc.getKey()).connect();
                 PreparedStatement statement = connection.prepareStatement(
                         "SELECT pg_xact_status(?::text::xid8)")) {
                for (Write write : dc.getValue()) {
                    statement.setLong(1, write.xid());
                    String status;
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        status = rs.getString(1);
                    }
                    if ("committed".equals(status)) {
                        replace(write, Write.Status.COMMITTED);
                        counts[0]++;
                    } else if ("aborted".equals(status)) {
                        replace(write, Write.Status.ABORTED);
                        counts[1]++;
                    }
                }
            }
        }
        return counts;
    }

    private synchronized void replace(Write write, Write.Status status) {
        for (int i = 0; i < writes.size(); i++) {
            Write candidate = writes.get(i);
            if (candidate.dc().equals(write.dc()) && candidate.xid() == write.xid()) {
                writes.set(i, candidate.withStatus(status));
            }
        }
    }
}
