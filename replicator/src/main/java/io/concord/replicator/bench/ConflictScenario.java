package io.concord.replicator.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Scenario 6, Concord only (native logical replication does not settle conflicts): both DCs update the same hot
 * rows at full speed with the {@code record} resolver; how many conflicts Concord settles per second, and how
 * long after the writers stop both DCs hold the same rows.
 */
final class ConflictScenario implements Scenario {

    private static final long CONVERGENCE_POLL_MILLIS = 50;

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Progress progress;

    ConflictScenario(BenchCluster cluster, BenchSettings settings, Progress progress) {
        this.cluster = cluster;
        this.settings = settings;
        this.progress = progress;
    }

    @Override
    public String id() {
        return "conflicts";
    }

    @Override
    public String title() {
        return "6 conflict load, %,d hot rows updated in both DCs for %d s".formatted(settings.hotRows(),
                settings.conflictDuration().toSeconds());
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("hot_rows", settings.hotRows());
        parameters.put("seconds", settings.conflictDuration().toSeconds());
        parameters.put("writers_per_dc", settings.conflictWritersPerDc());
        parameters.put("resolver", "record");
        return parameters;
    }

    @Override
    public void run(int repetition, ScenarioResult result) throws Exception {
        try (ReplicatedPair pair = ReplicatedPair.start(cluster, "concord", "record")) {
            ConcordReplication concord = (ConcordReplication) pair.replication();
            Db a = pair.source();
            Db b = pair.target();
            a.execute("INSERT INTO items SELECT g, 0, 'hot', now() FROM generate_series(1, " + settings.hotRows() + ") g");
            Waits.until("the hot rows to reach " + b, settings.applyTimeout(),
                    () -> b.queryLong("SELECT count(*) FROM items") == settings.hotRows());
            long conflictsBefore = concord.conflictsResolved();
            List<Db> clients = new ArrayList<>(Collections.nCopies(settings.conflictWritersPerDc(), a));
            clients.addAll(Collections.nCopies(settings.conflictWritersPerDc(), b));
            long writes = ClientLoad.run(clients, "UPDATE items SET k = k + 1, v = ?, updated_at = now() WHERE id = ?",
                    (statement, client, n, random) -> {
                        statement.setString(1, "client " + client + " write " + n);
                        statement.setLong(2, 1 + random.nextInt(settings.hotRows()));
                    }, settings.conflictDuration());
            long stopped = System.nanoTime();
            long conflictsDuringLoad = concord.conflictsResolved() - conflictsBefore;
            double convergeSeconds = (awaitConverged(a, b) - stopped) / 1e9;
            long conflicts = concord.conflictsResolved() - conflictsBefore;
            double loadSeconds = settings.conflictDuration().toNanos() / 1e9;
            long recorded = a.queryLong("SELECT count(*) FROM concord.conflicts")
                    + b.queryLong("SELECT count(*) FROM concord.conflicts");
            result.add("conflicts resolved/s under load", "1/s", true, "concord", conflictsDuringLoad / loadSeconds);
            result.add("conflicts resolved, total", "count", true, "concord", conflicts);
            result.add("conflicts recorded (both DCs)", "rows", true, "concord", recorded);
            result.add("time to converge", "s", false, "concord", convergeSeconds);
            result.add("writes, both DCs", "tx/s", true, "concord", writes / loadSeconds);
            progress.log("%s concord: %,.0f conflicts/s under load, %,d in all, converged %.2f s after the load"
                    + " (%,.0f writes/s; capture batches redone because apply stored a state meanwhile: %d)", id(),
                    conflictsDuringLoad / loadSeconds, conflicts, convergeSeconds, writes / loadSeconds,
                    concord.captureBatchesRedone());
        }
        result.note("conflicts = both DCs' appliers' conflict counters; converged = the two DCs' rows equal in two"
                + " checks " + CONVERGENCE_POLL_MILLIS + " ms apart, timed at the first; native has no conflict"
                + " handling, so this scenario is Concord's alone");
    }

    /** Waits until both DCs hold the same rows in two checks in a row; returns the time of the first of them. */
    private long awaitConverged(Db a, Db b) throws Exception {
        long deadline = System.nanoTime() + settings.applyTimeout().toNanos();
        long equalSince = 0;
        while (System.nanoTime() < deadline) {
            long checked = System.nanoTime();
            if (a.itemsChecksum().equals(b.itemsChecksum())) {
                if (equalSince != 0) {
                    return equalSince;
                }
                equalSince = checked;
            } else {
                equalSince = 0;
            }
            Thread.sleep(CONVERGENCE_POLL_MILLIS);
        }
        throw new TimeoutException("the DCs did not converge within " + settings.applyTimeout().toSeconds() + " s");
    }
}
