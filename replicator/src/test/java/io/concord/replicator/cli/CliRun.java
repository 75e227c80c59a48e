package io.concord.replicator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One {@code concord ...} command run in-process as a user runs it: its exit code, what it printed on stdout and
 * stderr, and what was logged meanwhile; none of them may contain a secret.
 */
record CliRun(int exit, String out, String err, String logs) {

    static CliRun concord(Map<String, String> environment, List<String> secrets, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
        int exit;
        // Logback's console appender writes to whatever System.out is at the time. Swapped before the
        // CommandLine exists: picocli's default execution strategy remembers System.out when it is
        // made, and replaces our writers with it if System.out has changed since.
        System.setOut(capture);
        System.setErr(capture);
        try {
            CommandLine cli = ConcordCli.commandLine(environment::get);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            stdout.print(logs.toString(StandardCharsets.UTF_8));
        }
        CliRun run = new CliRun(exit, out.toString(), err.toString(), logs.toString(StandardCharsets.UTF_8));
        for (String secret : secrets) {
            assertThat(run.out + run.err + run.logs).as("concord " + String.join(" ", args) + " printed a password")
                    .doesNotContain(secret);
        }
        return run;
    }
}
