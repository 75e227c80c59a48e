package io.concord.event.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * The schemas of every released Concord version, as shipped in {@code schemas/history/vN/}.
 *
 * <p>Each file there is self-contained (named types expanded), so a schema can be parsed
 * on its own. A running cluster may mix versions during an upgrade: the codec registers
 * these schemas so that data written by an older DC still decodes.
 */
public final class SchemaHistory {

    /**
     * Records that another Concord version may read: the events on Kafka, and the row state stored in
     * {@code concord.row_versions}. Every released version has one file for each.
     */
    public static final List<String> RECORDS = List.of("ChangeEvent", "Heartbeat", "DeadLetter", "RowStateRecord",
            "AppliedBatch");

    private static final String ROOT = "/io/concord/event/history/";

    private SchemaHistory() {
    }

    /** One released schema of one record. */
    public record Released(String version, String record, Schema schema) {
    }

    /** Every released schema, oldest version first. */
    public static List<Released> all() {
        List<Released> released = new ArrayList<>();
        for (String version : versions()) {
            for (String record : RECORDS) {
                String path = ROOT + version + "/" + record + ".avsc";
                try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalStateException("schema history " + version + " lacks " + record + ".avsc");
                    }
                    Schema schema = new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    released.add(new Released(version, record, schema));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + path, e);
                }
            }
        }
        return released;
    }

    /** The released versions (v1, v2, ...), from the index shipped with them. */
    public static List<String> versions() {
        try (InputStream in = Objects.requireNonNull(
                SchemaHistory.class.getResourceAsStream(ROOT + "versions.txt"), "schema history index missing")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema history index", e);
        }
    }
}
