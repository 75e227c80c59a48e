/**
 * PostgreSQL values and their typed form in events ({@link io.concord.event.Datum}): type identification
 * ({@link io.concord.replicator.types.PgType}, {@link io.concord.replicator.types.TypeRegistry}) and the codec
 * between PostgreSQL's text representation and Datum ({@link io.concord.replicator.types.PgTextCodec}), used by
 * capture to read pgoutput tuples and by apply to write rows back.
 *
 * <p>The mapping contract is the doc of {@code Datum.avsc}; {@link io.concord.replicator.types.ValueKind} lists it.
 */
package io.concord.replicator.types;
