package io.concord.replicator.types;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * float4 and float8 text exactly as PostgreSQL 12+ prints them (with {@code extra_float_digits} > 0, the default):
 * the shortest decimal that reads back as the same value, fixed notation for decimal exponents -4 .. 14 (float8)
 * or -4 .. 5 (float4), else {@code d.ddde+XX}; {@code NaN}, {@code Infinity}, {@code -Infinity}, {@code -0}.
 *
 * <p>Java's own {@code Double.toString} differs in format and, before Java 19, is not always shortest; and
 * PostgreSQL's Ryu accepts only decimals strictly inside a value's rounding interval (it prints 1e23 as
 * {@code 9.999999999999999e+22}, because "1e+23" lies exactly on the boundary). This class searches the shortest
 * digits the same way, with exact BigDecimal arithmetic: slower than Ryu, but it runs on the apply side, once
 * per written float, while capture only parses.
 */
final class FloatText {

    private static final BigDecimal HALF = new BigDecimal("0.5");

    private FloatText() {
    }

    static double parseDouble(CharSequence text) {
        try {
            return Double.parseDouble(text.toString());
        } catch (NumberFormatException e) {
            throw new ValueSyntaxException("float8", text, e);
        }
    }

    static float parseFloat(CharSequence text) {
        try {
            return Float.parseFloat(text.toString());
        } catch (NumberFormatException e) {
            throw new ValueSyntaxException("float4", text, e);
        }
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        double abs = Math.abs(value);
        BigDecimal exact = new BigDecimal(abs);
        // Halfway to the neighbours; at Double.MAX_VALUE the upper neighbour is infinite, but the gap is one ulp.
        BigDecimal low = exact.add(new BigDecimal(Math.nextDown(abs))).multiply(HALF);
        BigDecimal high = abs == Double.MAX_VALUE
                ? exact.add(new BigDecimal(Math.ulp(abs)).multiply(HALF))
                : exact.add(new BigDecimal(Math.nextUp(abs))).multiply(HALF);
        return render(value < 0, shortest(exact, low, high, 17), 15);
    }

    static String format(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return Float.floatToRawIntBits(value) < 0 ? "-0" : "0";
        }
        float abs = Math.abs(value);
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal low = exact.add(new BigDecimal(Math.nextDown(abs))).multiply(HALF);
        BigDecimal high = abs == Float.MAX_VALUE
                ? exact.add(new BigDecimal(Math.ulp(abs)).multiply(HALF))
                : exact.add(new BigDecimal(Math.nextUp(abs))).multiply(HALF);
        return render(value < 0, shortest(exact, low, high, 9), 6);
    }

    /**
     * The decimal with the fewest significant digits strictly between low and high, nearest to exact (ties to an
     * even last digit). Having such a decimal of p digits implies having one of p+1, so the search is binary.
     */
    private static BigDecimal shortest(BigDecimal exact, BigDecimal low, BigDecimal high, int maxDigits) {
        int lo = 1;
        int hi = maxDigits;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (candidate(exact, low, high, mid) != null) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return candidate(exact, low, high, lo);
    }

    private static BigDecimal candidate(BigDecimal exact, BigDecimal low, BigDecimal high, int digits) {
        BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        if (inside(nearest, low, high)) {
            return nearest;
        }
        RoundingMode other = nearest.compareTo(exact) > 0 ? RoundingMode.FLOOR : RoundingMode.CEILING;
        BigDecimal second = exact.round(new MathContext(digits, other));
        return inside(second, low, high) ? second : null;
    }

    private static boolean inside(BigDecimal c, BigDecimal low, BigDecimal high) {
        return c.compareTo(low) > 0 && c.compareTo(high) < 0;
    }

    /** Lays out digits like PostgreSQL's d2s/f2s: fixed for exponents -4 .. fixedLimit-1, else scientific. */
    private static String render(boolean negative, BigDecimal decimal, int fixedLimit) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        int exponent = stripped.precision() - stripped.scale() - 1;
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (exponent >= -4 && exponent < fixedLimit) {
            if (exponent < 0) {
                out.append("0.");
                out.append("0".repeat(-exponent - 1));
                out.append(digits);
            } else if (digits.length() <= exponent + 1) {
                out.append(digits).append("0".repeat(exponent + 1 - digits.length()));
            } else {
                out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}
