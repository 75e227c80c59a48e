package io.concord.replicator.capture.pgoutput;

import io.concord.replicator.types.PgType;

/**
 * One column of a {@link Relation}, as the RELATION message lists it (dropped and generated columns are not sent).
 *
 * @param name         column name
 * @param typeOid      {@code atttypid}
 * @param typeModifier {@code atttypmod} (-1 when none, e.g. varchar(10) has 14)
 * @param key          whether the column is part of the replica identity key
 * @param type         the type, resolved when the RELATION message was decoded
 */
public record RelationColumn(String name, int typeOid, int typeModifier, boolean key, PgType type) {
}
