package io.concord.resolver.state;

import io.concord.resolver.ConfiguredResolver;
import io.concord.resolver.ConflictContext;
import io.concord.resolver.ConflictId;
import io.concord.resolver.ConflictType;
import io.concord.resolver.ColumnStates;
import io.concord.resolver.Operation;
import io.concord.resolver.Resolution;
import io.concord.resolver.RowImage;
import io.concord.resolver.VersionedRow;
import io.concord.version.Causality;
import io.concord.version.RowVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The row state machine of one table: turns local changes into new versions, and takes in remote
 * writes — applying, skipping or settling them with the table's resolver. Pure and thread-safe; the
 * caller persists the {@link RowState}s.
 *
 * <h2>Why every replica converges</h2>
 * A row's state is determined by the set of writes a replica has received, not by their order:
 * <ul>
 *   <li>a remote write whose vector dominates the state replaces it (it has seen everything here);</li>
 *   <li>a remote write the state has seen (dominated or equal vector) changes nothing, which makes
 *       redelivery and replays harmless;</li>
 *   <li>a concurrent write joins the siblings, dropping those it has seen; the siblings are thus
 *       always the maximal writes received — an order-independent set — and the current row is
 *       computed from them alone, settling them two at a time in {@code (hlc, dc)} order.</li>
 * </ul>
 * The state's version is the pointwise max of the siblings' versions, so once all writes are
 * delivered everywhere every replica holds identical rows, versions and siblings. Settling in a
 * fixed order makes this hold for any deterministic resolver; a commutative and associative one
 * additionally gives rows that do not depend on that order.
 *
 * <h2>Clock</h2>
 * Local changes must carry {@code clock.tick(commit time)} from the DC's
 * {@link io.concord.version.HybridLogicalClock}, and the caller should {@code clock.receive(hlc)}
 * for every remote write it takes in, so that later local writes are stamped after it.
 */
public final class Reconciler {

    private final String table;
    private final ConfiguredResolver configured;
    private final LocalWriter writer;

    /** A state machine for {@code table}'s rows, settling conflicts with {@code resolver}. */
    public Reconciler(String table, ConfiguredResolver resolver) {
        this.table = Objects.requireNonNull(table, "table");
        this.configured = Objects.requireNonNull(resolver, "resolver");
        this.writer = new LocalWriter(resolver.resolver().tracking());
    }

    /** The table. */
    public String table() {
        return table;
    }

    /** The table's resolver. */
    public ConfiguredResolver resolver() {
        return configured;
    }

    /**
     * The new version of a row after a local change; the row's new state is
     * {@code RowState.of(write)}, as the write has seen every sibling.
     */
    public VersionedRow write(RowState previous, LocalChange change) {
        return writer.write(previous, change);
    }

    /** Takes in a remote write of the row {@code key}, whose state here is {@code local}. */
    public Reconciliation receive(RowState local, RowImage key, VersionedRow remote) {
        if (local.isEmpty()) {
            return new Reconciliation(RowState.of(remote), Causality.AFTER, Optional.empty(), !remote.isTombstone());
        }
        Causality causality = remote.version().compare(local.version());
        switch (causality) {
            case AFTER:
                return new Reconciliation(RowState.of(remote), causality, Optional.empty(),
                        !remote.sameContent(local.current()));
            case BEFORE:
            case EQUAL:
                return new Reconciliation(local, causality, Optional.empty(), false);
            default:
                return settle(local, key, remote);
        }
    }

    private Reconciliation settle(RowState local, RowImage key, VersionedRow remote) {
        List<VersionedRow> siblings = new ArrayList<>();
        for (VersionedRow sibling : local.siblings()) {
            // A sibling the remote write has seen is superseded by it; none can have seen the
            // remote write, or the state's vector would dominate it.
            if (sibling.version().compare(remote.version()) == Causality.CONCURRENT) {
                siblings.add(sibling);
            }
        }
        siblings.add(remote);
        siblings.sort(Comparator.comparing(VersionedRow::timestamp));
        Step settled = settle(key, siblings);
        VersionedRow before = local.current();
        VersionedRow current = settled.row().withVersion(before.version().merge(remote.version()));
        RowState state = new RowState(siblings, current);
        Optional<Conflict> conflict = ConflictType.between(before, remote).map(type -> new Conflict(
                ConflictId.of(table, key, before.version(), remote.version()), table, key, type, before, remote,
                current, kind(before, remote, current), configured.name(),
                settled.record() || configured.recordAll()));
        return new Reconciliation(state, Causality.CONCURRENT, conflict, !current.sameContent(before));
    }

    private Step settle(RowImage key, List<VersionedRow> siblings) {
        Step acc = new Step(siblings.get(0), false);
        for (VersionedRow next : siblings.subList(1, siblings.size())) {
            Step step = step(key, acc.row(), next);
            acc = new Step(step.row(), acc.record() || step.record());
        }
        return acc;
    }

    /**
     * Settles two concurrent versions of a row as the fold does, with {@code local} in the local
     * role: the resolver's pick as it is, or its merged row under the merged version. Two tombstones
     * settle to the later one without asking the resolver. Exposed for the conformance kit, which
     * checks commutativity and associativity through it.
     */
    public VersionedRow combine(RowImage key, VersionedRow local, VersionedRow remote) {
        return step(key, local, remote).row();
    }

    private Step step(RowImage key, VersionedRow local, VersionedRow remote) {
        if (local.isTombstone() && remote.isTombstone()) {
            return new Step(remote.timestamp().compareTo(local.timestamp()) > 0 ? remote : local, false);
        }
        ConflictContext context = new ConflictContext(table, key, local, remote, configured.updateDelete());
        Resolution resolution = context.type().involvesDelete()
                ? configured.resolver().resolveDelete(context)
                : configured.resolver().resolve(context);
        check(context, resolution);
        return new Step(apply(context, resolution), resolution.record());
    }

    private void check(ConflictContext context, Resolution resolution) {
        if (resolution == null) {
            throw new IllegalStateException("resolver '" + configured.name() + "' returned no resolution for "
                    + table + " " + context.key());
        }
        RowVersion expected = context.mergedVersion();
        if (!resolution.version().equals(expected)) {
            throw new IllegalStateException("resolver '" + configured.name() + "' returned version "
                    + resolution.version() + " for " + table + " " + context.key() + "; it must be the merged version "
                    + expected + " (build resolutions with the Resolution factories)");
        }
    }

    private static VersionedRow apply(ConflictContext context, Resolution resolution) {
        VersionedRow local = context.local();
        VersionedRow remote = context.remote();
        if (resolution instanceof Resolution.ApplyRemote) {
            return remote;
        }
        if (resolution instanceof Resolution.KeepLocal) {
            return local;
        }
        if (resolution instanceof Resolution.Merged merged) {
            boolean bothInserts = local.operation() == Operation.INSERT && remote.operation() == Operation.INSERT;
            return new VersionedRow(bothInserts ? Operation.INSERT : Operation.UPDATE, merged.row(),
                    merged.version(), merged.columns(), null, null);
        }
        ColumnStates columns = ColumnStates.join(local.columns(), local.version().vector(),
                remote.columns(), remote.version().vector());
        return new VersionedRow(Operation.DELETE, null, resolution.version(), columns, null, null);
    }

    private static ResolutionKind kind(VersionedRow before, VersionedRow remote, VersionedRow current) {
        if (current.sameContent(before)) {
            return ResolutionKind.LOCAL_KEPT;
        }
        return current.sameContent(remote) ? ResolutionKind.REMOTE_APPLIED : ResolutionKind.MERGED;
    }

    private record Step(VersionedRow row, boolean record) {
    }
}
