package io.concord.event.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks the current schemas against every released one, both ways. DCs are upgraded one at
 * a time, so for a while old and new versions read each other's events: the current reader
 * must read old data (backward) and old readers must read new data (forward). Anything else
 * would stop a running cluster mid-upgrade, so the build fails on it.
 */
public final class CompatibilityGate {

    private CompatibilityGate() {
    }

    /**
     * Returns every violation, each naming the record, the released version, the direction
     * and Avro's explanation (which field, which type); empty when the current schemas are safe.
     *
     * @param current the current schema of each record, by record name
     * @param released the released schemas to check against
     */
    public static List<String> violations(Map<String, Schema> current, List<SchemaHistory.Released> released) {
        List<String> violations = new ArrayList<>();
        for (SchemaHistory.Released old : released) {
            Schema now = current.get(old.record());
            if (now == null) {
                violations.add(old.record() + ": released in " + old.version() + " but no longer defined");
                continue;
            }
            check(now, old.schema(), old.record() + " (current) cannot read data written by " + old.version(),
                    violations);
            check(old.schema(), now, old.record() + " of " + old.version() + " cannot read data written by the current schema",
                    violations);
        }
        return violations;
    }

    private static void check(Schema reader, Schema writer, String what, List<String> violations) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            violations.add(what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + " (" + incompatibility.getMessage() + ")");
        }
    }
}
