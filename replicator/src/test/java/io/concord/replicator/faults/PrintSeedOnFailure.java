package io.concord.replicator.faults;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the run's seed, and how to replay it, next to every failed test of a fault run. */
final class PrintSeedOnFailure implements TestWatcher {

    private final FaultSettings settings;

    PrintSeedOnFailure(FaultSettings settings) {
        this.settings = settings;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.out.printf("%n*** %s failed; seed %d: replay with %s ***%n", context.getDisplayName(), settings.seed(),
                settings.replay());
    }
}
