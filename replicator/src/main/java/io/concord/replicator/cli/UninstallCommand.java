package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code concord uninstall}: removes everything install created, after a warning. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Drop the replication slot, the publication, the peers' origins and schema concord "
                + "(versions, conflicts, dead letters). User tables are not touched.",
        footer = {"", "Example:", "  concord uninstall --config concord.yaml --yes"})
final class UninstallCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @Option(names = "--yes", description = "Really do it. Without it, only say what would be removed.")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConcordConfig config = configOption.load();
        if (!yes) {
            spec.commandLine().getOut().println("""
                    This removes, in the database of DC %s:
                      - replication slot %s (WAL it held is released; this DC's unpublished changes are lost to peers)
                      - publication %s
                      - replication origins of peers %s
                      - schema concord: row versions, conflicts (open ones too) and dead letters
                    Run again with --yes to do it.""".formatted(config.dc(), config.capture().slot(),
                    config.capture().publication(), config.peers()));
            return 1;
        }
        try (Connection connection = ConfigOption.connect(config)) {
            List<String> done = new Installer(config).uninstall(connection);
            done.forEach(spec.commandLine().getOut()::println);
            if (done.isEmpty()) {
                spec.commandLine().getOut().println("nothing to remove: DC " + config.dc() + " is not installed in this database");
            }
        } catch (SQLException e) {
            throw new UserFacingException("uninstall failed: " + e.getMessage(), e);
        }
        return 0;
    }
}
