package io.concord.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code concord demo} in a short run, as the README's first command: it starts its own embedded servers, writes
 * with conflicts, and must exit 0 after printing equal checksums for every table in every DC.
 */
class DemoIT {

    private static final Pattern CHECKSUM_LINE = Pattern.compile(
            "^ {2}(accounts|profiles|inventory|orders) +(\\w{12}) \\((\\d+) rows\\) +(\\w{12}) \\((\\d+) rows\\) +(\\w{12})"
                    + " \\((\\d+) rows\\) +equal$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void aShortDemoConvergesAndPrintsEqualChecksumsBalancesAndConflicts() throws Exception {
        CliRun demo = CliRun.concord(Map.of(), List.of(), "demo", "--duration", "6s", "--rate", "20",
                "--config-dir", dir.toString(), "--verbose");

        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("CONVERGED: every DC holds the same rows").doesNotContain("DIFFERENT");
        Matcher lines = CHECKSUM_LINE.matcher(demo.out());
        int tables = 0;
        while (lines.find()) {
            tables++;
            assertThat(lines.group(2)).as(lines.group()).isEqualTo(lines.group(4)).isEqualTo(lines.group(6));
            assertThat(lines.group(3)).isEqualTo(lines.group(5)).isEqualTo(lines.group(7));
        }
        assertThat(tables).as("a checksum line per table:\n%s", demo.out()).isEqualTo(4);
        Matcher balances = Pattern.compile("= ([\\d,]+) expected; us ([\\d,]+) eu ([\\d,]+) ap ([\\d,]+)")
                .matcher(demo.out());
        assertThat(balances.find()).as(demo.out()).isTrue();
        assertThat(List.of(balances.group(2), balances.group(3), balances.group(4)))
                .as("no balance delta lost").containsOnly(balances.group(1));
        assertThat(demo.out()).containsPattern("public\\.orders +update_update +\\d+");
        assertThat(Files.readString(dir.resolve("eu.yaml"))).contains("dc: eu", "peers: [us, ap]");
    }
}
