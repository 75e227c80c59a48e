package io.concord.replicator.install;

import java.util.List;
import java.util.stream.Collectors;

/** The database is not ready for Concord; the message lists every problem with its fix. */
public final class PrerequisitesNotMetException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public PrerequisitesNotMetException(List<Problem> problems) {
        super("the database is not ready for Concord:\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
