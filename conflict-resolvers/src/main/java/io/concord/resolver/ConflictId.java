package io.concord.resolver;

import io.concord.version.RowVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of a conflict ({@code concord.conflicts.id}): the same in every DC that sees it.
 *
 * <p>It is the first 128 bits, in hex, of SHA-256 over the table, the key's canonical form and the
 * two versions' text forms in sorted order — so it does not depend on which side was local.
 */
public final class ConflictId {

    private static final HexFormat HEX = HexFormat.of();

    private ConflictId() {
    }

    /** The id of the conflict between versions {@code a} and {@code b} of the row {@code key} of {@code table}. */
    public static String of(String table, RowImage key, RowVersion a, RowVersion b) {
        String first = a.toString();
        String second = b.toString();
        if (first.compareTo(second) > 0) {
            String swap = first;
            first = second;
            second = swap;
        }
        String canonical = table + "\n" + key.canonical() + "\n" + first + "\n" + second;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
