package io.concord.replicator.bench;

import java.time.Duration;

/**
 * One run's fresh databases, one on {@code a} and one on {@code b}, each with an empty {@code items} table, and
 * the replication between them ({@code "concord"}, {@code "native"}, or {@code "none"}); closed together.
 */
final class ReplicatedPair implements AutoCloseable {

    private final BenchCluster cluster;
    private final Db source;
    private final Db target;
    private Replication replication;

    private ReplicatedPair(BenchCluster cluster, Db source, Db target) {
        this.cluster = cluster;
        this.source = source;
        this.target = target;
    }

    /** Creates the databases and starts {@code system} between them; Concord settles conflicts with {@code resolver}. */
    static ReplicatedPair start(BenchCluster cluster, String system, String resolver) throws Exception {
        cluster.checkpoint();
        String runId = cluster.nextRunId();
        Db source = cluster.createDatabase(cluster.source(), runId);
        Db target;
        try {
            target = cluster.createDatabase(cluster.target(), runId);
        } catch (Exception e) {
            cluster.dropDatabase(source);
            throw e;
        }
        ReplicatedPair pair = new ReplicatedPair(cluster, source, target);
        try {
            pair.replication = switch (system) {
                case "concord" -> ConcordReplication.start(cluster, runId, source, target, resolver);
                case "native" -> NativeReplication.start(source, target, runId);
                case "none" -> null;
                default -> throw new IllegalArgumentException("no replication system '" + system + "'");
            };
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    Db source() {
        return source;
    }

    Db target() {
        return target;
    }

    /** The replication between the two, null for {@code "none"}. */
    Replication replication() {
        return replication;
    }

    /** Writes the marker row on {@code a} and waits until it is on {@code b}: replication runs end to end. */
    void awaitFlowing(Duration timeout) throws Exception {
        BacklogLoader.insertMarker(source);
        Waits.until("replication to " + target + " to carry a first row", timeout,
                () -> target.queryLong("SELECT count(*) FROM items") == 1);
    }

    @Override
    public void close() {
        if (replication != null) {
            replication.close();
        }
        cluster.dropDatabase(target);
        cluster.dropDatabase(source);
    }
}
