package io.concord.replicator.demo;

import io.concord.replicator.cli.DcRuntime;
import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.config.ConfigLoader;
import io.concord.replicator.embedded.LocalDatacenters;
import io.concord.replicator.embedded.LoopbackPorts;
import io.concord.replicator.embedded.PostgresServer;
import io.concord.replicator.install.Installer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code concord demo}: three DCs on real embedded servers (one Kafka broker, a PostgreSQL per DC), an application
 * writing in all of them with conflicts on purpose, then proof that they converged.
 */
public final class Demo {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    private static final List<String> DCS = List.of("us", "eu", "ap");
    private static final Duration CONVERGE_WITHIN = Duration.ofSeconds(120);

    /**
     * @param duration    how long the application writes
     * @param rate        single-row transactions per second in each DC
     * @param keepRunning leave everything running at the end, until interrupted
     * @param configDir   where the DCs' concord.yaml files are written (for {@code concord status -c ...})
     * @param seed        the writers' random seed
     */
    public record Options(Duration duration, double rate, boolean keepRunning, Path configDir, long seed) {
    }

    private final Options options;
    private final PrintWriter out;
    /** Counted down once the servers are closed: a Ctrl-C under --keep-running waits for it before the JVM exits. */
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();

    public Demo(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; returns 0 when every DC converged, 1 when not. */
    public int run() throws Exception {
        out.println("Starting a Kafka broker (KRaft) and PostgreSQL for " + String.join(", ", DCS)
                + " — real servers, embedded...");
        out.flush();
        long started = System.nanoTime();
        try {
            return run(started);
        } finally {
            closed.countDown();
        }
    }

    private int run(long started) throws Exception {
        try (LocalDatacenters servers = LocalDatacenters.embedded(DCS, 1)) {
            Map<String, PostgresServer> dcs = new LinkedHashMap<>();
            DCS.forEach(dc -> dcs.put(dc, servers.postgres(dc)));
            List<DcRuntime> runtimes = new ArrayList<>();
            try {
                Map<String, Path> configs = startReplicators(servers, dcs, runtimes);
                out.printf("Servers and replicators up in %.1f s. Tables, one per resolver:%n", seconds(started));
                DemoSchema.tables(DCS).forEach(t -> out.printf("  %-10s %s%n", t.name(), t.shows()));
                if (!converge(dcs, DemoSchema.OPENING_BALANCE * DemoSchema.ACCOUNTS, Duration.ofSeconds(60))) {
                    out.println("The seed rows did not reach every DC within 60 s.");
                    return 1;
                }
                DemoWriter.DemoTally tally = write(dcs, runtimes);
                long expected = DemoSchema.OPENING_BALANCE * DemoSchema.ACCOUNTS + tally.balanceDeltas.get();
                out.printf("Writers stopped: %,d transactions and %,d conflict rounds. Waiting for convergence...%n",
                        tally.writes.get(), tally.conflictRounds.get());
                out.flush();
                long waitStarted = System.nanoTime();
                boolean converged = converge(dcs, expected, CONVERGE_WITHIN);
                new DemoReport(out, DCS, dcs).print(converged, seconds(waitStarted), expected, tally);
                if (options.keepRunning()) {
                    keepRunning(servers, dcs, configs);
                }
                return converged ? 0 : 1;
            } finally {
                runtimes.forEach(DcRuntime::close);
            }
        }
    }

    private Map<String, Path> startReplicators(LocalDatacenters servers, Map<String, PostgresServer> dcs,
            List<DcRuntime> runtimes) throws Exception {
        Files.createDirectories(options.configDir());
        Map<String, Path> files = new LinkedHashMap<>();
        List<ConcordConfig> configs = new ArrayList<>();
        for (Map.Entry<String, PostgresServer> dc : dcs.entrySet()) {
            try (Connection connection = dc.getValue().connect()) {
                DemoSchema.create(connection);
            }
            // With --keep-running the endpoints are worth a look; in a plain run nobody could open them in time.
            int httpPort = options.keepRunning() ? LoopbackPorts.reserve() : 0;
            httpPorts.put(dc.getKey(), httpPort);
            String yaml = yaml(dc.getKey(), dc.getValue(), servers.kafka().bootstrapServers(), httpPort);
            Path file = options.configDir().resolve(dc.getKey() + ".yaml");
            Files.writeString(file, yaml);
            files.put(dc.getKey(), file);
            ConcordConfig config = new ConfigLoader(System::getenv).load(file);
            try (Connection connection = dc.getValue().connect()) {
                new Installer(config).install(connection, true); // merge needs REPLICA IDENTITY FULL on accounts
            }
            configs.add(config);
        }
        try (Connection connection = dcs.get(DCS.get(0)).connect()) {
            DemoSchema.seed(connection);
        }
        for (ConcordConfig config : configs) {
            runtimes.add(DcRuntime.start(config));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (DcRuntime runtime : runtimes) {
            while (!(runtime.capture().isActive() && runtime.apply().isRunning())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replicators did not start within 90 s");
                }
                Thread.sleep(100);
            }
        }
        return files;
    }

    private String yaml(String dc, PostgresServer postgres, String bootstrap, int httpPort) {
        return """
                # DC %s of `concord demo` (embedded servers; trust authentication, so no password)
                dc: %s
                postgres:
                  url: %s
                  user: %s
                kafka:
                  bootstrap-servers: %s
                topics:
                  prefix: demo
                peers: [%s]
                capture:
                  heartbeat-interval: 500ms
                http:
                  port: %d
                tables:
                %s""".formatted(dc, dc, postgres.jdbcUrl(), postgres.user(), bootstrap,
                String.join(", ", DCS.stream().filter(other -> !other.equals(dc)).toList()), httpPort,
                DemoSchema.tablesYaml(DCS));
    }

    /** Runs the writers, a conflict round every second, and the progress line, for the demo's duration. */
    private DemoWriter.DemoTally write(Map<String, PostgresServer> dcs, List<DcRuntime> runtimes) throws Exception {
        DemoWriter.DemoTally tally = new DemoWriter.DemoTally();
        out.printf("Writing in every DC for %d s at %.0f transactions/s each, plus a conflict round every second "
                + "(the same rows written in all DCs at once)...%n", options.duration().toSeconds(), options.rate());
        out.flush();
        List<DemoWriter> writers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, PostgresServer> dc : dcs.entrySet()) {
            DemoWriter writer = new DemoWriter(dc.getKey(), index, dc.getValue(), options.rate(),
                    options.seed() + index++, tally);
            writers.add(writer);
            Thread thread = new Thread(writer, "demo-writer-" + dc.getKey());
            threads.add(thread);
            thread.start();
        }
        ConflictMaker conflicts = new ConflictMaker(dcs, options.seed() - 1, tally);
        DemoProgress progress = new DemoProgress(out, DCS, dcs, runtimes, tally);
        long end = System.nanoTime() + options.duration().toNanos();
        try {
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                conflicts.round();
                progress.print();
                for (DemoWriter writer : writers) {
                    if (writer.failure() != null) {
                        throw new IllegalStateException("a demo writer failed: " + writer.failure().getMessage(),
                                writer.failure());
                    }
                }
                for (DcRuntime runtime : runtimes) {
                    if (runtime.capture().failure() != null || runtime.apply().failure() != null) {
                        throw new IllegalStateException("a replicator stopped: " + (runtime.capture().failure() != null
                                ? runtime.capture().failure() : runtime.apply().failure()));
                    }
                }
            }
        } finally {
            writers.forEach(DemoWriter::stop);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            progress.finish();
        }
        return tally;
    }

    /** Waits until every table is identical in every DC (three checks in a row) and the balances add up. */
    private boolean converge(Map<String, PostgresServer> dcs, long expectedBalances, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            boolean equal = TableChecksums.equalEverywhere(TableChecksums.of(dcs, DemoSchema.tables(DCS)));
            boolean balanced = true;
            for (PostgresServer dc : dcs.values()) {
                balanced &= TableChecksums.balances(dc) == expectedBalances;
            }
            stable = equal && balanced ? stable + 1 : 0;
            if (stable == 3) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    private void keepRunning(LocalDatacenters servers, Map<String, PostgresServer> dcs, Map<String, Path> configs)
            throws InterruptedException {
        out.println();
        out.println("Everything keeps running (--keep-running); Ctrl-C stops it and removes the servers' data.");
        for (Map.Entry<String, PostgresServer> dc : dcs.entrySet()) {
            String url = dc.getValue().jdbcUrl();
            String port = url.replaceAll(".*:(\\d+)/.*", "$1");
            out.printf("  %s: psql -h localhost -p %s -U %s postgres%n", dc.getKey(), port, dc.getValue().user());
            out.printf("      ./concord status -c %s    http://localhost:%d/metrics%n", configs.get(dc.getKey()),
                    httpPorts.get(dc.getKey()));
        }
        out.println("  Kafka: " + servers.kafka().bootstrapServers() + " (topics demo.changes.us|eu|ap)");
        out.flush();
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            interrupted.countDown();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-stop"));
        interrupted.await();
        LOG.info("demo stopping");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
