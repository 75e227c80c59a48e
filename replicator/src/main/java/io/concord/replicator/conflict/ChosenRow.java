package io.concord.replicator.conflict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The row a person chose to settle a conflict with: column → PostgreSQL text form (null for SQL NULL), or a
 * deletion. Built from the conflict's local or remote row, or from a JSON object someone typed, whose key
 * columns (if given) must be the conflict's key.
 */
record ChosenRow(Optional<Map<String, String>> values) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ChosenRow deletion() {
        return new ChosenRow(Optional.empty());
    }

    /** A row as {@code concord.conflicts} stores one (JSON object of text forms), or a deletion for SQL NULL. */
    static ChosenRow stored(String json) throws ConflictDecisionException {
        return json == null ? deletion() : typed(json, "the stored row");
    }

    /**
     * A row typed on the command line, completed with the conflict's key. Values may be JSON strings (the
     * text form), numbers, booleans, null, or objects and arrays (for json columns).
     */
    static ChosenRow typed(String json, Map<String, String> key) throws ConflictDecisionException {
        ChosenRow row = typed(json, "--row");
        Map<String, String> values = new LinkedHashMap<>(row.values().orElseThrow());
        for (Map.Entry<String, String> column : key.entrySet()) {
            String given = values.get(column.getKey());
            if (given != null && !given.equals(column.getValue())) {
                throw new ConflictDecisionException("--row sets key column " + column.getKey() + " to '" + given
                        + "' but the conflict is about the row with " + column.getKey() + " '" + column.getValue()
                        + "'; a resolution keeps the row's key");
            }
            values.put(column.getKey(), column.getValue());
        }
        return new ChosenRow(Optional.of(values));
    }

    private static ChosenRow typed(String json, String what) throws ConflictDecisionException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (Exception e) {
            throw new ConflictDecisionException(what + " is not JSON: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new ConflictDecisionException(what + " must be a JSON object of column → value, not " + json);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            values.put(field.getKey(), value.isNull() ? null
                    : value.isContainerNode() ? value.toString() : value.asText());
        }
        return new ChosenRow(Optional.of(values));
    }

    /** A stored JSON object of text forms (the key as {@code concord.conflicts.primary_key} holds it). */
    static Map<String, String> key(String json) throws ConflictDecisionException {
        return typed(json, "the conflict's key").values().orElseThrow();
    }
}
