package io.concord.replicator.install;

/**
 * A prerequisite that is not met, with what to do about it.
 *
 * @param subject what the problem is about (a setting, the role, a table)
 * @param problem what is wrong
 * @param fix the action (usually SQL) that fixes it
 */
public record Problem(String subject, String problem, String fix) {

    @Override
    public String toString() {
        return subject + ": " + problem + "\n    fix: " + fix;
    }
}
