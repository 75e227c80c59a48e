package io.concord.replicator.cli;

import ch.qos.logback.classic.Level;
import io.concord.replicator.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code concord demo}: three DCs on embedded real servers, concurrent writers with conflicts, proof of convergence. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a real Kafka broker and three real PostgreSQL servers (DCs us, eu, ap), embedded; run "
                + "Concord for each; write in all three at once, with conflicts on purpose, on four tables (one per "
                + "resolver); then stop writing, wait for convergence, and print the tables' checksums in every DC and "
                + "the conflicts recorded.",
                "Needs only a JDK: the servers come from Maven artifacts. Exits 0 only if the DCs converged."},
        footer = {"", "Examples:", "  concord demo", "  concord demo --duration 60s --rate 100",
                "  concord demo --keep-running     (then psql into any DC, or concord status -c concord-demo/us.yaml)"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Since.class, defaultValue = "20s",
            description = "How long the application writes (default 20s).")
    Duration duration;

    @Option(names = "--rate", paramLabel = "TX/S", defaultValue = "50",
            description = "Single-row transactions per second in each DC (default 50).")
    double rate;

    @Option(names = "--keep-running", description = "Leave the servers and replicators running at the end, until "
            + "Ctrl-C, and print how to connect.")
    boolean keepRunning;

    @Option(names = "--config-dir", paramLabel = "DIR", description = "Where to write the DCs' concord.yaml files "
            + "(default: concord-demo with --keep-running, else a temporary directory).")
    Path configDir;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "The writers' random seed.")
    long seed;

    @Option(names = "--verbose", description = "Log Concord's own INFO lines too.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || rate > 10_000) {
            throw new ParameterException(spec.commandLine(), "--rate must be above 0 and at most 10000, not " + rate);
        }
        if (duration.isZero()) {
            throw new ParameterException(spec.commandLine(), "--duration must be at least 1s");
        }
        if (!verbose) {
            // The demo's output is its progress line and report; Kafka's routine warnings (a controller's first
            // start, a producer retrying CONCURRENT_TRANSACTIONS while the previous commit completes) would bury them.
            level("io.concord", Level.WARN);
            level("org.apache.kafka", Level.ERROR);
            level("kafka", Level.ERROR);
        }
        Path dir = configDir != null ? configDir : keepRunning ? Path.of("concord-demo")
                : Files.createTempDirectory("concord-demo");
        return new Demo(new Demo.Options(duration, rate, keepRunning, dir, seed), spec.commandLine().getOut()).run();
    }

    private static void level(String logger, Level level) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(level);
    }
}
