package io.concord.replicator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.concord.replicator.cli.ConcordCli;
import io.concord.replicator.testing.ServerLeakCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code concord bench --quick} as a user runs it, so that the command cannot rot: it starts its own servers,
 * every scenario produces numbers for every system it compares, the table and the JSON say the same, and
 * nothing is left running or on disk. What the numbers are is not checked: this machine is shared.
 */
class BenchIT {

    private static final List<String> COMPARED = List.of("backlog-single", "backlog-batch", "backlog-updates",
            "steady-lag", "write-overhead");
    /** Metrics of a step only Concord has (its capture, timed alone before apply resumes), in every backlog. */
    private static final List<String> CONCORD_ONLY = List.of("capture rate", "capture cpu per event");

    @TempDir
    Path dir;

    @Test
    void quickBenchMeasuresEveryScenarioAndReportsItAsATableAndJson() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<Path> before = serverDirectories(tmp);
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ConcordCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("bench", "--quick", "--json", json.toString());

        assertThat(exit).as("exit code; stderr:\n%s\nstdout:\n%s", err, out).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.at("/environment/postgresql").asText()).contains("fsync on");
        assertThat(root.at("/environment/repetitions").asInt()).isEqualTo(1);
        assertThat(root.at("/environment/hand_off").asText()).startsWith("loopback round trip ").contains("µs of CPU");
        List<String> ids = new ArrayList<>();
        for (JsonNode scenario : root.get("scenarios")) {
            String id = scenario.get("id").asText();
            ids.add(id);
            assertThat(scenario.get("error").isNull()).as("%s failed: %s", id, scenario.get("error")).isTrue();
            assertThat(scenario.get("metrics")).as(id).isNotEmpty();
            assertThat(scenario.get("notes")).as(id).isNotEmpty();
            for (JsonNode metric : scenario.get("metrics")) {
                String name = id + " / " + metric.get("name").asText();
                Set<String> systems = fieldNames(metric.get("systems"));
                if (metric.get("name").asText().startsWith("postgres alone")) {
                    assertThat(id).as(name).isIn("backlog-batch", "backlog-updates");
                    assertThat(systems).as(name + ": PostgreSQL's own work, no replication")
                            .containsExactlyInAnyOrderElementsOf(id.equals("backlog-batch")
                                    ? List.of("row", "row+version") : List.of("row", "row+version",
                                    "lock+read+row+version"));
                } else if (metric.get("name").asText().startsWith("kafka alone")) {
                    assertThat(id).as(name).isEqualTo("steady-lag");
                    assertThat(systems).as(name + ": the broker's own work, no replication")
                            .containsExactlyInAnyOrderElementsOf(
                                    KafkaFloor.SHAPES.stream().map(KafkaFloor.Shape::name).toList());
                } else if (CONCORD_ONLY.contains(metric.get("name").asText())) {
                    assertThat(systems).as(name + ": Concord's own step").containsExactly("concord");
                } else if (COMPARED.contains(id)) {
                    assertThat(systems).as(name).contains("concord", "native");
                    assertThat(metric.get("concord_over_native").isNumber()).as(name).isTrue();
                } else {
                    assertThat(systems).as(name).containsAnyOf("concord", "native");
                }
                for (String system : systems) {
                    JsonNode stats = metric.get("systems").get(system);
                    assertThat(stats.get("samples")).as(name + " " + system).hasSize(1);
                    assertThat(stats.get("median").isNumber()).as(name + " " + system).isTrue();
                    assertThat(stats.get("min").asDouble()).as(name + " " + system)
                            .isEqualTo(stats.get("max").asDouble());
                    assertThat(out.toString()).as("the table shows " + name)
                            .contains(metric.get("name").asText(), system);
                }
            }
            if (id.startsWith("backlog-")) {
                assertThat(scenario.get("metrics").findValuesAsText("name")).as(id).contains("capture rate");
            }
            if (id.equals("backlog-batch") || id.equals("backlog-updates")) {
                assertThat(scenario.get("metrics").findValuesAsText("name")).as(id)
                        .contains("postgres alone: write rate");
            }
            if (id.equals("steady-lag")) {
                assertThat(scenario.get("metrics").findValuesAsText("name")).as(id)
                        .contains("kafka alone: lag p50", "kafka alone: lag p99", "kafka alone: broker cpu per window");
            }
            if (id.equals("write-overhead")) {
                for (JsonNode metric : scenario.get("metrics")) {
                    String name = id + " / " + metric.get("name").asText();
                    assertThat(fieldNames(metric.get("systems")))
                            .as(name + ": the broker's share, beside the application")
                            .contains(WriteOverheadScenario.KAFKA_ALONE);
                }
            }
            assertThat(out.toString()).as("the table has a section for " + id).contains(scenario.get("title").asText());
        }
        assertThat(ids).containsExactlyElementsOf(Benchmark.SCENARIOS);
        assertThat(out.toString()).contains("concord/native", "JSON written to " + json.toAbsolutePath());
        assertThat(err.toString()).contains("bench: backlog-single concord:", "bench: conflicts concord:");
        assertThat(serverDirectories(tmp)).as("the servers' data directories are removed").isEqualTo(before);
        // Any postmaster still running from this temp directory (the prefix is in its command line).
        ServerLeakCheck.assertNothingLeft(List.of(tmp.resolve("concord-pg-")));
    }

    @Test
    void anUnknownScenarioIsRefusedNamingTheKnownOnes() {
        assertThat(refused("--only", "backlog-single,nope")).contains("unknown scenario", "steady-lag", "conflicts");
    }

    @Test
    void aLagRateOutOfRangeIsRefusedNamingTheOption() {
        assertThat(refused("--lag-rate", "0")).contains("--lag-rate must be 1..100000 tx/s, got 0");
    }

    /** Runs {@code concord bench} with these options, expecting a usage error and no JSON; returns its stderr. */
    private String refused(String... options) {
        StringWriter err = new StringWriter();
        CommandLine cli = ConcordCli.commandLine();
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("bench"));
        args.addAll(List.of(options));
        args.addAll(List.of("--json", dir.resolve("x.json").toString()));

        int exit = cli.execute(args.toArray(String[]::new));

        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(dir.resolve("x.json")).doesNotExist();
        return err.toString();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<Path> serverDirectories(Path tmp) throws IOException {
        if (!Files.isDirectory(tmp)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("concord-pg-")
                    || path.getFileName().toString().startsWith("concord-kafka-")).collect(Collectors.toSet());
        }
    }
}
