package io.concord.replicator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code concord} command: the entry point of every subcommand. */
@Command(name = "concord", mixinStandardHelpOptions = true, version = "concord 0.1.0",
        description = "Active-active replication for PostgreSQL through Kafka.",
        subcommands = {RunCommand.class, InstallCommand.class, UninstallCommand.class, CheckCommand.class},
        footer = {"", "Examples:", "  concord install --config concord.yaml", "  concord check --config concord.yaml"})
public final class ConcordCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Concord's error handling, shared by main and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ConcordCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return e instanceof UserFacingException ? 2 : 1;
        });
        return commandLine;
    }
}
