package io.concord.replicator.types;

/** Reads a PostgreSQL output text left to right, failing with the type's name and the whole text. */
final class TextCursor {

    private final CharSequence text;
    private final String typeName;
    private int pos;

    TextCursor(CharSequence text, String typeName) {
        this.text = text;
        this.typeName = typeName;
    }

    /** A run of min..max decimal digits, as a number. */
    long digits(int min, int max) {
        long value = 0;
        int start = pos;
        while (pos < text.length() && pos - start < max) {
            char c = text.charAt(pos);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            pos++;
        }
        if (pos - start < min) {
            throw fail("expected " + min + (max > min ? " or more" : "") + " digits at position " + start);
        }
        return value;
    }

    /** Up to 6 fraction digits after a '.', as microseconds; 0 if there is no '.'. */
    long fractionMicros() {
        if (!accept('.')) {
            return 0;
        }
        int start = pos;
        long value = digits(1, 6);
        for (int i = pos - start; i < 6; i++) {
            value *= 10;
        }
        return value;
    }

    void expect(char c) {
        if (!accept(c)) {
            throw fail("expected '" + c + "' at position " + pos);
        }
    }

    boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Accepts a literal suffix such as " BC". */
    boolean accept(String s) {
        if (text.length() - pos < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (text.charAt(pos + i) != s.charAt(i)) {
                return false;
            }
        }
        pos += s.length();
        return true;
    }

    boolean atEnd() {
        return pos == text.length();
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    void expectEnd() {
        if (!atEnd()) {
            throw fail("unexpected text at position " + pos);
        }
    }

    ValueSyntaxException fail(String problem) {
        return new ValueSyntaxException(typeName, text, problem);
    }

    /** Whether the whole text equals s, e.g. "infinity". */
    static boolean is(CharSequence text, String s) {
        if (text.length() != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (text.charAt(i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
