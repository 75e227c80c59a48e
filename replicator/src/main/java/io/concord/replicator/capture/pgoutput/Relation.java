package io.concord.replicator.capture.pgoutput;

import java.util.List;

/**
 * RELATION ('R'): describes a table before its first change in a session, and again after its definition
 * changed. Row changes refer to the latest description of their relation.
 *
 * @param oid             the relation's OID
 * @param namespace       the schema
 * @param name            the table name
 * @param replicaIdentity the relation's REPLICA IDENTITY setting
 * @param columns         the published columns, in the order tuples list their values
 */
public record Relation(int oid, String namespace, String name, ReplicaIdentity replicaIdentity,
        List<RelationColumn> columns) implements ControlMessage {

    public Relation {
        columns = List.copyOf(columns);
    }

    public RelationColumn column(int index) {
        return columns.get(index);
    }

    /** The index of the named column, or -1. */
    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** schema.name, for messages. */
    public String qualifiedName() {
        return namespace + "." + name;
    }
}
