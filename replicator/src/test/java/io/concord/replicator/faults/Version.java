package io.concord.replicator.faults;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row version as the checks see it: version vector, hybrid logical clock and writing DC. Compared here, not
 * with Concord's own classes, so that a mistake there cannot hide in the checks.
 *
 * @param vector DC id → number of that DC's writes of the row seen
 * @param hlc    the hybrid logical clock, µs
 * @param dc     the DC of the write (of the later timestamp, for a merged version)
 */
record Version(Map<String, Long> vector, long hlc, String dc) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last-write-wins order: {@code (hlc, dc)}. */
    static final Comparator<Version> TIMESTAMP = Comparator.comparingLong(Version::hlc).thenComparing(Version::dc);

    Version {
        vector = new TreeMap<>(vector);
    }

    /** How two versions relate by happens-before. */
    enum Order { BEFORE, AFTER, EQUAL, CONCURRENT }

    /** Whether this version has seen every write {@code other} has seen. */
    boolean covers(Version other) {
        return other.vector.entrySet().stream().allMatch(e -> vector.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    Order compare(Version other) {
        boolean mine = covers(other);
        boolean theirs = other.covers(this);
        if (mine && theirs) {
            return Order.EQUAL;
        }
        if (mine) {
            return Order.AFTER;
        }
        return theirs ? Order.BEFORE : Order.CONCURRENT;
    }

    /** The pointwise maximum of the vectors with the latest timestamp: the version of a row that has seen them all. */
    static Version merge(Collection<Version> versions) {
        Map<String, Long> vector = new TreeMap<>();
        Version latest = null;
        for (Version version : versions) {
            version.vector.forEach((dc, n) -> vector.merge(dc, n, Math::max));
            if (latest == null || TIMESTAMP.compare(version, latest) > 0) {
                latest = version;
            }
        }
        if (latest == null) {
            throw new IllegalArgumentException("no versions to merge");
        }
        return new Version(vector, latest.hlc, latest.dc);
    }

    /** From concord.row_versions' vector column (a JSON object) and its hlc and dc. */
    static Version of(String vectorJson, long hlc, String dc) {
        try {
            return new Version(JSON.readValue(vectorJson, new TypeReference<TreeMap<String, Long>>() { }), hlc, dc);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a version vector: " + vectorJson, e);
        }
    }

    /** From a version as concord.conflicts stores it: {@code {"vector": {...}, "hlc": n, "dc": "a"}}. */
    static Version ofConflictJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new Version(JSON.convertValue(node.get("vector"), new TypeReference<TreeMap<String, Long>>() { }),
                    node.get("hlc").asLong(), node.get("dc").asText());
        } catch (Exception e) {
            throw new IllegalArgumentException("not a conflict version: " + json, e);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        vector.forEach((d, n) -> text.append(text.length() == 0 ? "" : ",").append(d).append(':').append(n));
        return text + "@" + hlc + "/" + dc;
    }
}
