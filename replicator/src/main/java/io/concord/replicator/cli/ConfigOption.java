package io.concord.replicator.cli;

import io.concord.replicator.config.ConcordConfig;
import io.concord.replicator.config.ConfigLoader;
import io.concord.replicator.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by the commands that act on one DC, and what follows from it. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            // $$ because picocli would otherwise substitute ${ENV_VAR} itself (and print "null").
            description = "This DC's concord.yaml (secrets as $${ENV_VAR}).")
    Path file;

    private final Function<String, String> environment;

    ConfigOption(Function<String, String> environment) {
        this.environment = environment;
    }

    ConcordConfig load() throws UserFacingException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UserFacingException(file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"), null);
        }
        try {
            return new ConfigLoader(environment).load(file);
        } catch (InvalidConfigException e) {
            throw new UserFacingException(file + ": " + e.getMessage(), e);
        }
    }

    static Connection connect(ConcordConfig config) throws UserFacingException {
        Properties properties = new Properties();
        properties.setProperty("user", config.postgres().user());
        if (config.postgres().password() != null && !config.postgres().password().isEmpty()) {
            properties.setProperty("password", config.postgres().password());
        }
        properties.setProperty("ApplicationName", "concord-" + config.dc());
        try {
            return DriverManager.getConnection(config.postgres().url(), properties);
        } catch (SQLException e) {
            throw new UserFacingException("cannot connect to PostgreSQL at " + config.postgres().url() + " as "
                    + config.postgres().user() + ": " + e.getMessage(), e);
        }
    }
}
