package io.concord.replicator.types;

import io.concord.event.ArrayValue;
import io.concord.event.Datum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Array text as {@code array_out} prints it: nested braces, {@code NULL} elements, elements double-quoted (with
 * {@code \"} and {@code \\}) when empty, {@code NULL}-like, or holding a brace, quote, backslash, comma or white
 * space, and a {@code [lb:ub]...=} prefix when some lower bound is not 1.
 *
 * <p>Only arrays of mapped element types come here, and all of those use ',' as delimiter.
 */
final class ArrayText {

    private ArrayText() {
    }

    static ArrayValue parse(PgType arrayType, String text) {
        return new Parser(arrayType, text).parse();
    }

    static void format(ArrayValue array, StringBuilder out) {
        List<Integer> dims = array.getDimensions();
        if (dims.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Integer> lower = array.getLowerBounds();
        if (!lower.isEmpty() && lower.size() != dims.size()) {
            throw new IllegalArgumentException("array has " + dims.size() + " dimensions but "
                    + lower.size() + " lower bounds");
        }
        int total = 1;
        for (int d : dims) {
            total = Math.multiplyExact(total, d);
        }
        if (total != array.getElements().size()) {
            throw new IllegalArgumentException("array dimensions " + dims + " do not hold "
                    + array.getElements().size() + " elements");
        }
        if (lower.stream().anyMatch(lb -> lb != 1)) {
            for (int i = 0; i < dims.size(); i++) {
                int lb = lower.get(i);
                out.append('[').append(lb).append(':').append(lb + dims.get(i) - 1).append(']');
            }
            out.append('=');
        }
        formatLevel(array, 0, 0, out);
    }

    /** Writes the sub-array at this depth starting with element index first; returns the next element index. */
    private static int formatLevel(ArrayValue array, int depth, int first, StringBuilder out) {
        int length = array.getDimensions().get(depth);
        boolean innermost = depth == array.getDimensions().size() - 1;
        int next = first;
        out.append('{');
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (innermost) {
                appendElement(array.getElements().get(next++), out);
            } else {
                next = formatLevel(array, depth + 1, next, out);
            }
        }
        out.append('}');
        return next;
    }

    private static void appendElement(Datum element, StringBuilder out) {
        String text = PgTextCodec.encode(element);
        if (text == null) {
            out.append("NULL");
        } else if (needsQuotes(text)) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        } else {
            out.append(text);
        }
    }

    private static boolean needsQuotes(String text) {
        if (text.isEmpty() || text.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || isSpace(c)) {
                return true;
            }
        }
        return false;
    }

    /** array_isspace: the C locale's white space, which is what array_in trims. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
    }

    /** One array text being read. */
    private static final class Parser {
        private final PgType arrayType;
        private final String text;
        // PostgreSQL allows at most 6 dimensions (MAXDIM); lengths are known once a sub-array closes.
        private final int[] dims = new int[6];
        private int ndims;
        private final List<Datum> elements = new ArrayList<>();
        private int pos;
        private int elementDepth = -1;

        Parser(PgType arrayType, String text) {
            this.arrayType = arrayType;
            this.text = text;
        }

        ArrayValue parse() {
            List<Integer> lower = new ArrayList<>();
            List<Integer> upper = new ArrayList<>();
            skipSpace();
            while (peek() == '[') {
                pos++;
                lower.add(integer());
                expect(':');
                upper.add(integer());
                expect(']');
                skipSpace();
            }
            if (!lower.isEmpty()) {
                expect('=');
                skipSpace();
            }
            level(0);
            List<Integer> dimensions = new ArrayList<>(ndims);
            for (int i = 0; i < ndims; i++) {
                dimensions.add(dims[i]);
            }
            skipSpace();
            if (pos != text.length()) {
                throw fail("unexpected text after the array at position " + pos);
            }
            if (!lower.isEmpty()) {
                if (lower.size() != ndims) {
                    throw fail("bounds given for " + lower.size() + " dimensions, array has " + ndims);
                }
                for (int i = 0; i < ndims; i++) {
                    if (upper.get(i) - lower.get(i) + 1 != dims[i]) {
                        throw fail("bounds of dimension " + (i + 1) + " do not match its length");
                    }
                }
            } else {
                lower.addAll(Collections.nCopies(ndims, 1));
            }
            return new ArrayValue(arrayType.element().name(), dimensions, lower, elements);
        }

        private void level(int depth) {
            if (depth == dims.length) {
                throw fail("more than " + dims.length + " dimensions");
            }
            expect('{');
            skipSpace();
            int count = 0;
            if (peek() == '}') {
                pos++;
                if (depth != 0) {
                    throw fail("empty sub-array");
                }
                return;
            }
            while (true) {
                skipSpace();
                if (peek() == '{') {
                    if (elementDepth >= 0 && elementDepth <= depth) {
                        throw fail("sub-array where an element was expected at position " + pos);
                    }
                    level(depth + 1);
                } else {
                    if (elementDepth < 0) {
                        elementDepth = depth;
                    } else if (elementDepth != depth) {
                        throw fail("element where a sub-array was expected at position " + pos);
                    }
                    element();
                }
                count++;
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw fail("expected ',' or '}' at position " + (pos - 1));
                }
            }
            // The first sub-array to close at a depth fixes its length (0 = not yet: sub-arrays are never empty).
            if (dims[depth] == 0) {
                dims[depth] = count;
                ndims = Math.max(ndims, depth + 1);
            } else if (dims[depth] != count) {
                throw fail("sub-arrays of different lengths");
            }
        }

        private void element() {
            StringBuilder value = new StringBuilder();
            boolean literal = false;
            if (peek() == '"') {
                pos++;
                literal = true;
                while (true) {
                    char c = next();
                    if (c == '"') {
                        break;
                    }
                    value.append(c == '\\' ? next() : c);
                }
            } else {
                // Unquoted: up to the delimiter, backslash escapes kept literally, trailing white space trimmed.
                int keep = 0;
                while (peek() != ',' && peek() != '}') {
                    char c = next();
                    if (c == '\\') {
                        value.append(next());
                        literal = true;
                        keep = value.length();
                    } else {
                        value.append(c);
                        if (!isSpace(c)) {
                            keep = value.length();
                        }
                    }
                }
                value.setLength(keep);
            }
            String s = value.toString();
            if (!literal && s.equalsIgnoreCase("NULL")) {
                elements.add(new Datum(null));
            } else {
                elements.add(PgTextCodec.decode(arrayType.element(), s));
            }
        }

        private int integer() {
            int start = pos;
            if (peek() == '-' || peek() == '+') {
                pos++;
            }
            while (Character.isDigit(peek())) {
                pos++;
            }
            try {
                return Integer.parseInt(text, start, pos, 10);
            } catch (NumberFormatException e) {
                throw fail("invalid bound at position " + start);
            }
        }

        private void skipSpace() {
            while (pos < text.length() && isSpace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= text.length()) {
                throw fail("unexpected end");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("expected '" + c + "' at position " + pos);
            }
            pos++;
        }

        private ValueSyntaxException fail(String problem) {
            return new ValueSyntaxException(arrayType.name(), text, problem);
        }
    }
}
