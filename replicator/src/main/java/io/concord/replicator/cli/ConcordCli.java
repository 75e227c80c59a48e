package io.concord.replicator.cli;

import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;

/** The {@code concord} command: the entry point of every subcommand. */
@Command(name = "concord", mixinStandardHelpOptions = true, version = "concord 0.1.0",
        description = "Active-active replication for PostgreSQL through Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, InstallCommand.class, UninstallCommand.class, CheckCommand.class,
                StatusCommand.class, ConflictsCommand.class, DlqCommand.class, io.concord.replicator.bench.BenchCommand.class},
        footer = {"", "Examples:", "  concord demo", "  concord check --config concord.yaml",
                "  concord run --config concord.yaml", "  concord status --config concord.yaml",
                "  concord conflicts list --config concord.yaml", "  concord bench --quick"})
public final class ConcordCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Concord's error handling, shared by main and tests. */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** As {@link #commandLine()}, with {@code ${VAR}} in config files taken from {@code environment}. */
    static CommandLine commandLine(Function<String, String> environment) {
        IFactory defaults = CommandLine.defaultFactory();
        IFactory factory = new IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ConfigOption.class ? type.cast(new ConfigOption(environment)) : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new ConcordCli(), factory);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return e instanceof UserFacingException ? 2 : 1;
        });
        return commandLine;
    }
}
