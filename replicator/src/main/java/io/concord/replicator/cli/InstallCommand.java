package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.install.Installer;
import io.concord.replicator.install.PrerequisitesNotMetException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code concord install}: prepares this DC's database (idempotent; {@code run} does it too). */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Check prerequisites, then create schema concord, the publication, the replication slot and "
                + "the peers' replication origins. Safe to run again.",
        footer = {"", "Example:", "  concord install --config concord.yaml --set-replica-identity"})
final class InstallCommand implements Callable<Integer> {

    @Mixin
    ConfigOption configOption;

    @Option(names = "--set-replica-identity",
            description = "Set REPLICA IDENTITY FULL on tables that need it instead of stopping with the SQL to run.")
    boolean setReplicaIdentity;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConcordConfig config = configOption.load();
        try (Connection connection = ConfigOption.connect(config)) {
            for (String line : new Installer(config).install(connection, setReplicaIdentity)) {
                spec.commandLine().getOut().println(line);
            }
        } catch (PrerequisitesNotMetException e) {
            throw new UserFacingException(e.getMessage(), e);
        } catch (SQLException e) {
            throw new UserFacingException("install failed: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("DC " + config.dc() + " is installed");
        return 0;
    }
}
