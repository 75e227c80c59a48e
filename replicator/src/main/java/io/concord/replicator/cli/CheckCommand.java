package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.PrerequisiteCheck;
import io.concord.replicator.install.Problem;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code concord check}: reports whether the database is ready, and what to fix. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the config and check the database's prerequisites; print what to fix. Changes nothing.",
        footer = {"", "Example:", "  concord check --config concord.yaml"})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConcordConfig config = configOption.load();
        spec.commandLine().getOut().println("config ok: " + config);
        try (Connection connection = ConfigOption.connect(config)) {
            List<Problem> problems = new PrerequisiteCheck(config).run(connection);
            if (problems.isEmpty()) {
                spec.commandLine().getOut().println("database ok: ready for Concord");
                return 0;
            }
            problems.forEach(problem -> spec.commandLine().getOut().println(problem));
            return 1;
        }
    }
}
