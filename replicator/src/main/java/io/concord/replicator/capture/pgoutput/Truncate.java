package io.concord.replicator.capture.pgoutput;

import java.util.List;

/**
 * TRUNCATE ('T'): one TRUNCATE statement emptied these tables.
 *
 * @param relations       the tables, each described by an earlier RELATION message
 * @param cascade         TRUNCATE ... CASCADE
 * @param restartIdentity TRUNCATE ... RESTART IDENTITY
 */
public record Truncate(List<Relation> relations, boolean cascade, boolean restartIdentity) implements ChangeMessage {

    public Truncate {
        relations = List.copyOf(relations);
    }
}
