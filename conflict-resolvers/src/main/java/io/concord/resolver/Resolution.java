package io.concord.resolver;

import io.concord.version.RowVersion;
import java.util.Objects;

/**
 * A resolver's decision on one conflict: keep one side, or make a new row (or a delete).
 *
 * <p>Every decision carries the merged version (both sides' versions merged, see
 * {@link ConflictContext#mergedVersion()}) and whether the conflict is to be recorded in
 * {@code concord.conflicts}. Build decisions with the static factories, which take the version
 * from the context; Concord rejects a decision whose version is not the merged one, since a
 * version that does not dominate both sides would break convergence.
 */
public sealed interface Resolution
        permits Resolution.ApplyRemote, Resolution.KeepLocal, Resolution.Merged, Resolution.Deleted {

    /** The version the row gets. */
    RowVersion version();

    /** Whether this conflict is to be recorded for a person or the application to review. */
    boolean record();

    /** The same decision, marked to be recorded. */
    Resolution recorded();

    /** Take the remote side as it is. */
    static Resolution applyRemote(ConflictContext context) {
        return new ApplyRemote(context.mergedVersion(), false);
    }

    /** Keep the local side as it is. */
    static Resolution keepLocal(ConflictContext context) {
        return new KeepLocal(context.mergedVersion(), false);
    }

    /** A new row made from both sides; the per-column state becomes the join of both sides'. */
    static Resolution merged(ConflictContext context, RowImage row) {
        VersionedRow local = context.local();
        VersionedRow remote = context.remote();
        ColumnStates columns = ColumnStates.join(local.columns(), local.version().vector(),
                remote.columns(), remote.version().vector());
        return merged(context, row, columns);
    }

    /** A new row made from both sides, with per-column state computed by the resolver. */
    static Resolution merged(ConflictContext context, RowImage row, ColumnStates columns) {
        return new Merged(row, columns, context.mergedVersion(), false);
    }

    /** Delete the row. */
    static Resolution deleted(ConflictContext context) {
        return new Deleted(context.mergedVersion(), false);
    }

    /** The remote side wins as it is. */
    record ApplyRemote(RowVersion version, boolean record) implements Resolution {
        /** Checks the version. */
        public ApplyRemote {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public Resolution recorded() {
            return new ApplyRemote(version, true);
        }
    }

    /** The local side wins as it is. */
    record KeepLocal(RowVersion version, boolean record) implements Resolution {
        /** Checks the version. */
        public KeepLocal {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public Resolution recorded() {
            return new KeepLocal(version, true);
        }
    }

    /** A new row made from both sides. */
    record Merged(RowImage row, ColumnStates columns, RowVersion version, boolean record) implements Resolution {
        /** Checks the parts. */
        public Merged {
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(columns, "columns");
            Objects.requireNonNull(version, "version");
        }

        @Override
        public Resolution recorded() {
            return new Merged(row, columns, version, true);
        }
    }

    /** The row is deleted. */
    record Deleted(RowVersion version, boolean record) implements Resolution {
        /** Checks the version. */
        public Deleted {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public Resolution recorded() {
            return new Deleted(version, true);
        }
    }
}
