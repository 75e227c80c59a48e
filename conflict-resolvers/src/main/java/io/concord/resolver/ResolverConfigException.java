package io.concord.resolver;

import java.util.List;

/**
 * A table's resolver configuration is wrong: an unknown resolver, or options that are missing,
 * unknown or of the wrong shape. Lists every problem found, each naming the option's path, the bad
 * value and what was expected.
 */
public final class ResolverConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** An exception listing {@code problems}. */
    public ResolverConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return "invalid resolver configuration: " + problems.get(0);
        }
        return "invalid resolver configuration (" + problems.size() + " problems):\n  - "
                + String.join("\n  - ", problems);
    }

    /** The problems, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
