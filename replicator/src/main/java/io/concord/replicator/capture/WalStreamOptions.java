package io.concord.replicator.capture;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link WalStream} asks of its pgoutput slot. Validated when built, so that a bad value fails at start
 * with its name rather than as a server error mid-stream.
 *
 * @param slotName        the logical replication slot (plugin pgoutput), which must exist
 * @param publications    the publications whose tables are streamed
 * @param protocolVersion pgoutput {@code proto_version}: 1 (PostgreSQL 10+) or 2..4 (14+, 15+, 16+); we enable
 *                        neither streaming nor two-phase, so all four send the same messages
 * @param messages        whether to receive logical decoding messages ({@code pg_logical_emit_message})
 * @param origin          the pgoutput {@code origin} option, "any" or "none" (PostgreSQL 16+; "none" drops
 *                        transactions that carry a replication origin at the source), or null to leave it unset
 *                        (PostgreSQL 15 rejects the option)
 * @param statusInterval  how often pgjdbc reports the flushed position to the server unasked
 */
public record WalStreamOptions(String slotName, List<String> publications, int protocolVersion, boolean messages,
        String origin, Duration statusInterval) {

    // Slot names are restricted by the server to lower-case letters, digits and underscores.
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    public WalStreamOptions {
        Objects.requireNonNull(slotName, "slotName");
        if (!SLOT_NAME.matcher(slotName).matches()) {
            throw new IllegalArgumentException("slot name '" + slotName
                    + "': expected 1 to 63 lower-case letters, digits or underscores");
        }
        publications = List.copyOf(publications);
        if (publications.isEmpty()) {
            throw new IllegalArgumentException("at least one publication is needed");
        }
        for (String p : publications) {
            if (p.isEmpty() || p.contains(",") || p.contains("\"")) {
                throw new IllegalArgumentException("publication name '" + p
                        + "': must be non-empty and hold no comma or double quote");
            }
        }
        if (protocolVersion < 1 || protocolVersion > 4) {
            throw new IllegalArgumentException("pgoutput protocol version " + protocolVersion + ": expected 1 to 4");
        }
        if (origin != null && !origin.equals("any") && !origin.equals("none")) {
            throw new IllegalArgumentException("origin '" + origin + "': expected any, none, or unset");
        }
        Objects.requireNonNull(statusInterval, "statusInterval");
        if (statusInterval.isNegative() || statusInterval.isZero()) {
            throw new IllegalArgumentException("status interval " + statusInterval + ": must be positive");
        }
    }

    /** Protocol 1, messages on, origin unset, status every 10 s. */
    public static WalStreamOptions of(String slotName, String... publications) {
        return new WalStreamOptions(slotName, List.of(publications), 1, true, null, Duration.ofSeconds(10));
    }

    /** The {@code publication_names} option: names double-quoted, so that case and odd characters survive. */
    String publicationNamesOption() {
        StringBuilder out = new StringBuilder();
        for (String p : publications) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append('"').append(p).append('"');
        }
        return out.toString();
    }
}
