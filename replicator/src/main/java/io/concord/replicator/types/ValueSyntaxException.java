package io.concord.replicator.types;

/**
 * A text that is not a valid value of its type, or a Datum that cannot be written as one. Permanent: retrying
 * the same value fails the same way.
 */
public final class ValueSyntaxException extends IllegalArgumentException {

    // Long values (TOASTed text, big arrays) would flood logs; the head is enough to recognise the value.
    private static final int MAX_QUOTED = 120;

    public ValueSyntaxException(String typeName, CharSequence text, String problem) {
        super("invalid " + typeName + " value '" + abbreviate(text) + "': " + problem);
    }

    public ValueSyntaxException(String typeName, CharSequence text, Throwable cause) {
        super("invalid " + typeName + " value '" + abbreviate(text) + "': " + cause.getMessage(), cause);
    }

    private static String abbreviate(CharSequence text) {
        return text.length() <= MAX_QUOTED ? text.toString() : text.subSequence(0, MAX_QUOTED) + "...";
    }
}
