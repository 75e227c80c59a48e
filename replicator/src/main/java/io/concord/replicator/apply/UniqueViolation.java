package io.concord.replicator.apply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A conflict of its own type: an incoming row refused because a secondary UNIQUE constraint is held by another
 * row here. The incoming row waits in the dead letters; this is its entry in {@code concord.conflicts}, with
 * both rows, so that people see it where they see every other conflict.
 *
 * <p>Its id is derived from both rows' keys and versions in sorted order, like every conflict id: the DC
 * where a's row arrives second and the DC where b's does record the same id.
 *
 * @param key           the incoming row's key, as {@code concord.conflicts.primary_key} holds it
 * @param localVersion  the local row's version as JSON, or {@code {}} when it has none (written before Concord)
 */
record UniqueViolation(String id, String table, String constraint, String key, String incomingRow,
        String incomingVersion, String incomingOrigin, String localRow, String localVersion, String localOrigin,
        String resolver) {

    static String id(String table, String incomingKey, String incomingVersion, String localKey, String localVersion) {
        String a = incomingKey + "@" + incomingVersion;
        String b = localKey + "@" + localVersion;
        String canonical = "unique_violation\n" + table + "\n" + (a.compareTo(b) <= 0 ? a + "\n" + b : b + "\n" + a);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
