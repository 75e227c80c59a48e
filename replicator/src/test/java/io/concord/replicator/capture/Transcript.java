package io.concord.replicator.capture;

import io.concord.replicator.capture.pgoutput.Begin;
import io.concord.replicator.capture.pgoutput.Commit;
import io.concord.replicator.capture.pgoutput.Delete;
import io.concord.replicator.capture.pgoutput.Insert;
import io.concord.replicator.capture.pgoutput.LogicalMessage;
import io.concord.replicator.capture.pgoutput.Origin;
import io.concord.replicator.capture.pgoutput.PgOutputMessage;
import io.concord.replicator.capture.pgoutput.Relation;
import io.concord.replicator.capture.pgoutput.Truncate;
import io.concord.replicator.capture.pgoutput.TypeMessage;
import io.concord.replicator.capture.pgoutput.Update;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One line per decoded message, naming what a test asserts about the order and kind of messages. */
final class Transcript {

    private Transcript() {
    }

    static List<String> of(List<WalEvent> events) {
        List<String> lines = new ArrayList<>();
        for (WalEvent event : events) {
            PgOutputMessage m = event.message();
            if (m instanceof Begin) {
                lines.add("BEGIN");
            } else if (m instanceof Commit) {
                lines.add("COMMIT");
            } else if (m instanceof Origin o) {
                lines.add("ORIGIN " + o.name() + " " + o.originCommitLsn());
            } else if (m instanceof TypeMessage t) {
                lines.add("TYPE " + t.namespace() + "." + t.name());
            } else if (m instanceof Relation r) {
                lines.add("RELATION " + r.qualifiedName() + " " + r.replicaIdentity());
            } else if (m instanceof LogicalMessage lm) {
                lines.add("MESSAGE " + lm.prefix() + " " + StandardCharsets.UTF_8.decode(lm.content().duplicate())
                        + (lm.transactional() ? " transactional" : ""));
            } else if (m instanceof Insert i) {
                lines.add("INSERT " + i.relation().name());
            } else if (m instanceof Update u) {
                lines.add("UPDATE " + u.relation().name() + " " + u.oldImage());
            } else if (m instanceof Delete d) {
                lines.add("DELETE " + d.relation().name() + " " + d.oldImage());
            } else if (m instanceof Truncate t) {
                lines.add("TRUNCATE " + t.relations().stream().map(Relation::name).toList()
                        + (t.cascade() ? " cascade" : "") + (t.restartIdentity() ? " restartIdentity" : ""));
            }
        }
        return lines;
    }

}
