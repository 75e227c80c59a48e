package io.concord.replicator.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config file with one or more errors; the message lists all of them, one per line. */
public final class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public InvalidConfigException(List<ConfigError> errors) {
        super(errors.size() + (errors.size() == 1 ? " config error:\n  " : " config errors:\n  ")
                + errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n  ")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
