package io.concord.replicator.bench;

import java.time.Duration;

/**
 * PostgreSQL's own logical replication: a publication of {@code items} on {@code a} and a subscription on
 * {@code b} with default settings (no initial copy: the table is empty when it starts). Pausing disables the
 * subscription, which ends its apply worker and leaves its slot on {@code a} holding the WAL.
 */
final class NativeReplication implements Replication {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Db source;
    private final Db target;
    /** Names the publication, the subscription and its slot (slot names are server-wide, so it is per run). */
    private final String name;
    private boolean closed;

    private NativeReplication(Db source, Db target, String name) {
        this.source = source;
        this.target = target;
        this.name = name;
    }

    /** Publishes {@code items} on {@code source} and subscribes {@code target} to it; returns once it applies. */
    static NativeReplication start(Db source, Db target, String name) throws Exception {
        NativeReplication replication = new NativeReplication(source, target, name);
        try {
            source.execute("CREATE PUBLICATION " + name + " FOR TABLE items");
            target.execute("CREATE SUBSCRIPTION " + name + " CONNECTION '" + source.libpqConnection()
                    + "' PUBLICATION " + name + " WITH (copy_data = false)");
            Waits.until("the subscription " + name + " on " + target + " to run its apply worker", WAIT,
                    () -> replication.workerRunning());
            return replication;
        } catch (Exception | Error e) {
            replication.close();
            throw e;
        }
    }

    @Override
    public String system() {
        return "native";
    }

    @Override
    public void pauseApply() throws Exception {
        target.execute("ALTER SUBSCRIPTION " + name + " DISABLE");
        // DISABLE only asks the worker to exit; it may still be applying for a moment.
        Waits.until("the apply worker of " + name + " to exit", WAIT, () -> !workerRunning()
                && source.queryLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active",
                        name) == 0);
    }

    @Override
    public void resumeApply() throws Exception {
        target.execute("ALTER SUBSCRIPTION " + name + " ENABLE");
    }

    private boolean workerRunning() throws Exception {
        return target.queryLong("SELECT count(*) FROM pg_stat_subscription WHERE subname = ? AND pid IS NOT NULL"
                + " AND relid IS NULL", name) > 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // DROP SUBSCRIPTION also drops its slot on the source.
        Cleanup.quietly("drop subscription " + name, () -> target.execute("DROP SUBSCRIPTION IF EXISTS " + name));
        Cleanup.quietly("drop publication " + name, () -> source.execute("DROP PUBLICATION IF EXISTS " + name));
    }
}
