package io.concord.replicator.types;

import io.concord.event.NumericSpecial;
import io.concord.event.NumericValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/** numeric: PostgreSQL's plain decimal text (no exponent, trailing zeros kept) and its specials, both ways. */
final class NumericText {

    // Up to 18 digits fit a long; most numerics in practice are money-like and take this path.
    private static final int LONG_DIGITS = 18;

    private NumericText() {
    }

    static NumericValue parse(CharSequence text) {
        switch (text.toString()) {
            case "NaN":
                return special(NumericSpecial.NAN);
            case "Infinity":
                return special(NumericSpecial.POSITIVE_INFINITY);
            case "-Infinity":
                return special(NumericSpecial.NEGATIVE_INFINITY);
            default:
                break;
        }
        NumericValue fast = parseSmall(text);
        if (fast != null) {
            return fast;
        }
        try {
            BigDecimal value = new BigDecimal(text.toString());
            return new NumericValue(ByteBuffer.wrap(value.unscaledValue().toByteArray()), value.scale(),
                    NumericSpecial.FINITE);
        } catch (NumberFormatException e) {
            throw new ValueSyntaxException("numeric", text, e);
        }
    }

    static String format(NumericValue value) {
        switch (value.getSpecial()) {
            case NAN:
                return "NaN";
            case POSITIVE_INFINITY:
                return "Infinity";
            case NEGATIVE_INFINITY:
                return "-Infinity";
            default:
                break;
        }
        ByteBuffer unscaled = value.getUnscaled().duplicate();
        byte[] bytes = new byte[unscaled.remaining()];
        unscaled.get(bytes);
        BigInteger integer = bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
        return new BigDecimal(integer, value.getScale()).toPlainString();
    }

    /** The digits of a numeric of at most 18 digits, without BigDecimal; null if it is not that simple. */
    private static NumericValue parseSmall(CharSequence text) {
        int n = text.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > LONG_DIGITS) {
                    return null;
                }
                unscaled = unscaled * 10 + (c - '0');
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0) {
                scale = 0;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        byte[] bytes = BigInteger.valueOf(negative ? -unscaled : unscaled).toByteArray();
        return new NumericValue(ByteBuffer.wrap(bytes), Math.max(scale, 0), NumericSpecial.FINITE);
    }

    private static NumericValue special(NumericSpecial special) {
        return new NumericValue(ByteBuffer.allocate(0), 0, special);
    }
}
