package io.concord.replicator.bench;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code concord bench}: Concord's replication speed beside PostgreSQL's native logical replication, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Start embedded PostgreSQL a and b and one Kafka broker, then measure, for Concord and for "
                + "native logical replication alike: backlog apply rates, steady lag, the write overhead on the "
                + "application, and (Concord only) conflict load. Prints a table and writes JSON.",
                "Needs no running server: everything is started and removed by the command. Close other work on "
                + "the machine first: the numbers are only as quiet as the machine."},
        footer = {"", "Examples:", "  concord bench", "  concord bench --quick --json /tmp/bench.json",
                "  concord bench --only backlog-single,steady-lag --repetitions 5"})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Small sizes and one repetition: checks the bench runs (about 2 minutes),"
            + " its numbers mean little.")
    boolean quick;

    @Option(names = "--repetitions", paramLabel = "N", description = "Runs of each system per scenario (default: 3;"
            + " 1 with --quick).")
    Integer repetitions;

    @Option(names = "--lag-rate", paramLabel = "TX_PER_S", description = "Single-row transactions a second written"
            + " on a in the steady-lag scenario, and records a second in its kafka alone runs (default: 2000, the"
            + " issue's rate).")
    Integer lagRate;

    @Option(names = "--only", split = ",", paramLabel = "SCENARIO", description = "Run only these scenarios: "
            + "backlog-single, backlog-batch, backlog-updates, steady-lag, write-overhead, conflicts.")
    List<String> only = List.of();

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the results as JSON (default:"
            + " ${DEFAULT-VALUE}).", defaultValue = "concord-bench.json")
    Path json;

    @Option(names = "--verbose", description = "Keep Concord's own INFO logs (runtimes starting and stopping).")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<String> scenarios = new LinkedHashSet<>(only);
        if (!Benchmark.SCENARIOS.containsAll(scenarios)) {
            throw new ParameterException(spec.commandLine(), "--only: unknown scenario in " + only + "; the scenarios"
                    + " are " + Benchmark.SCENARIOS);
        }
        BenchSettings settings = quick ? BenchSettings.quick() : BenchSettings.defaults();
        if (repetitions != null) {
            if (repetitions < 1) {
                throw new ParameterException(spec.commandLine(), "--repetitions must be at least 1, got " + repetitions);
            }
            settings = settings.withRepetitions(repetitions);
        }
        if (!verbose) {
            // Every run starts and stops two runtimes; their INFO lines, and a Streams warning about an option
            // Concord does not use repeated at each start, would bury the progress lines.
            setLevel("io.concord", Level.WARN);
            setLevel("org.apache.kafka.streams.StreamsConfig", Level.ERROR);
            setLevel("org.apache.kafka.controller", Level.ERROR);
        }
        if (lagRate != null) {
            if (lagRate < 1 || lagRate > 100_000) {
                throw new ParameterException(spec.commandLine(), "--lag-rate must be 1..100000 tx/s, got " + lagRate);
            }
            settings = settings.withLagRate(lagRate);
        }
        PrintWriter out = spec.commandLine().getOut();
        Benchmark benchmark = new Benchmark(settings, scenarios, new Progress(spec.commandLine().getErr()));
        List<ScenarioResult> results = benchmark.run(quick);
        BenchReport report = new BenchReport(benchmark.environment(), results);
        report.printTable(out);
        report.writeJson(json);
        out.println("JSON written to " + json.toAbsolutePath());
        out.flush();
        return results.stream().anyMatch(result -> result.error() != null) ? 1 : 0;
    }

    private static void setLevel(String name, Level level) {
        Logger logger = LoggerFactory.getLogger(name);
        if (logger instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(level);
        }
    }
}
