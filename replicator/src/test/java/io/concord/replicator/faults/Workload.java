package io.concord.replicator.faults;

import io.concord.replicator.embedded.PostgresServer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The application: {@value #WRITERS_PER_DC} writers per DC, each on its own connection, committing seeded random
 * transactions at a steady pace into the {@link History}, until stopped.
 */
final class Workload {

    static final int WRITERS_PER_DC = 2;

    private final Function<String, PostgresServer> postgres;
    private final History history;
    private final KeySpace keys;
    private final FaultSettings settings;
    private final String name;
    private final boolean reinsertDeleted;
    private final List<Writer> writers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /** What the writers did. */
    record Stats(int committed, int inDoubt, int failed) {
    }

    Workload(Function<String, PostgresServer> postgres, History history, KeySpace keys, FaultSettings settings,
            String name, boolean reinsertDeleted) {
        this.postgres = postgres;
        this.history = history;
        this.keys = keys;
        this.settings = settings;
        this.name = name;
        this.reinsertDeleted = reinsertDeleted;
    }

    /**
     * Creates the hot keys of every table (from DC a, in one transaction logged like any write), so that during
     * the load every DC finds them; the caller waits until every DC has them.
     */
    void seedHotKeys() throws SQLException {
        Writer seeder = new Writer("a", postgres.apply("a"), null, keys, history, 1, () -> false);
        List<Planner.Planned> rows = new ArrayList<>();
        for (SuiteTable table : SuiteTable.values()) {
            for (long id : keys.hotKeys()) {
                rows.add(new Planner.Planned(table, id, Write.Op.INSERT, history.nextTag("a"), 0, false, false));
            }
        }
        seeder.transaction(rows);
        seeder.run(); // returns at once (not running) and closes its connection
    }

    void start() {
        running = true;
        for (String dc : SuiteTable.DCS) {
            for (int i = 0; i < WRITERS_PER_DC; i++) {
                Random random = new Random(settings.derive(name + "/" + dc + "/" + i));
                Writer writer = new Writer(dc, postgres.apply(dc), new Planner(dc, keys, history, random, reinsertDeleted), keys, history,
                        settings.ratePerDc() / WRITERS_PER_DC, () -> running);
                Thread thread = new Thread(writer, "workload-" + dc + "-" + i);
                writers.add(writer);
                threads.add(thread);
                thread.start();
            }
        }
    }

    Stats stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(90_000);
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop within 90 s");
            }
        }
        return new Stats(writers.stream().mapToInt(w -> w.committed).sum(),
                writers.stream().mapToInt(w -> w.inDoubt).sum(), writers.stream().mapToInt(w -> w.failed).sum());
    }
}
