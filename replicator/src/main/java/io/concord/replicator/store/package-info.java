/**
 * Concord's own tables in the {@code concord} schema and what goes into them: the state of every
 * replicated row ({@link io.concord.replicator.store.RowStateStore}, keyed by
 * {@link io.concord.replicator.store.RowKey}) and capture's progress with its fencing epoch
 * ({@link io.concord.replicator.store.CaptureProgressStore}).
 *
 * <p>Also the codecs between the resolvers' model ({@code RowImage}, {@code VersionedRow},
 * {@code RowState}, {@code ColumnStates}) and the Avro records that events and stored states carry
 * ({@link io.concord.replicator.store.JavaValues} for single values, then
 * {@link io.concord.replicator.store.RowImages}, {@link io.concord.replicator.store.ColumnStatesCodec},
 * {@link io.concord.replicator.store.SiblingCodec}, {@link io.concord.replicator.store.RowStateCodec}).
 * They live here rather than in a package of their own because the stored state is where they must be
 * exact above all: a state written by one Concord version is read back, maybe by another, long after.
 * Capture and apply use them for events too.
 *
 * <p>Nothing here commits: every method runs in the caller's transaction.
 */
package io.concord.replicator.store;
