package io.concord.event.codec;

/**
 * An event payload that cannot be turned into a known event. The {@link Kind} tells the
 * dead-letter store which class of failure it was; the message names what is wrong.
 */
public final class EventDecodingException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of bad input this was. */
    public enum Kind {
        /** Not Avro single-object encoding at all (missing marker, too short, null). */
        NOT_SINGLE_OBJECT,
        /** Single-object encoded, but written with a schema this build does not know. */
        UNKNOWN_SCHEMA,
        /** The schema is known, but the body does not decode with it. */
        CORRUPT
    }

    private final Kind kind;

    public EventDecodingException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public EventDecodingException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
