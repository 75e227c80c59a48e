package io.concord.replicator.types;

import io.concord.event.IntervalValue;

/**
 * interval in PostgreSQL's default {@code IntervalStyle=postgres} output, e.g.
 * {@code 1 year 2 mons -3 days +04:05:06.789}, {@code -00:00:01}, {@code 00:00:00}, and (PostgreSQL 17+)
 * {@code infinity} / {@code -infinity}, which are stored as all three fields at their maximum / minimum.
 *
 * <p>The writer mirrors {@code EncodeInterval}: years and months come from the month count by truncating
 * division, a field of value 1 takes the singular unit, zero fields are left out, and a positive field that
 * follows a negative one gets an explicit '+'.
 */
final class IntervalText {

    private IntervalText() {
    }

    static IntervalValue parse(CharSequence text) {
        if (TextCursor.is(text, "infinity")) {
            return new IntervalValue(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
        }
        if (TextCursor.is(text, "-infinity")) {
            return new IntervalValue(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);
        }
        TextCursor c = new TextCursor(text, "interval");
        long months = 0;
        long days = 0;
        long micros = 0;
        boolean first = true;
        while (!c.atEnd()) {
            if (!first) {
                c.expect(' ');
            }
            first = false;
            boolean negative = c.peek() == '-';
            if (!c.accept('-')) {
                c.accept('+');
            }
            long number = c.digits(1, 12);
            if (c.accept(':')) {
                long minutes = c.digits(2, 2);
                c.expect(':');
                long seconds = c.digits(2, 2);
                long belowHour = minutes * DateTimeText.MICROS_PER_MINUTE
                        + seconds * DateTimeText.MICROS_PER_SECOND + c.fractionMicros();
                // Accumulated with its sign, so that the most negative interval does not overflow on the way.
                long hours = Math.multiplyExact(negative ? -number : number, DateTimeText.MICROS_PER_HOUR);
                micros = negative ? Math.subtractExact(hours, belowHour) : Math.addExact(hours, belowHour);
                c.expectEnd();
                break;
            }
            long value = negative ? -number : number;
            c.expect(' ');
            if (c.accept("years") || c.accept("year")) {
                months += value * 12;
            } else if (c.accept("mons") || c.accept("mon")) {
                months += value;
            } else if (c.accept("days") || c.accept("day")) {
                days += value;
            } else {
                throw c.fail("unknown unit");
            }
        }
        if (months != (int) months || days != (int) days) {
            throw c.fail("field out of range");
        }
        return new IntervalValue((int) months, (int) days, micros);
    }

    static void format(IntervalValue value, StringBuilder out) {
        int months = value.getMonths();
        int days = value.getDays();
        long micros = value.getMicros();
        if (months == Integer.MAX_VALUE && days == Integer.MAX_VALUE && micros == Long.MAX_VALUE) {
            out.append("infinity");
            return;
        }
        if (months == Integer.MIN_VALUE && days == Integer.MIN_VALUE && micros == Long.MIN_VALUE) {
            out.append("-infinity");
            return;
        }
        // State of EncodeInterval: whether anything was written yet, and whether the last field was negative.
        int state = 0;
        state = appendField(months / 12, "year", state, out);
        state = appendField(months % 12, "mon", state, out);
        state = appendField(days, "day", state, out);
        boolean nothingYet = (state & WROTE) == 0;
        if (nothingYet || micros != 0) {
            if (!nothingYet) {
                out.append(' ');
            }
            if (micros < 0) {
                out.append('-');
            } else if ((state & BEFORE) != 0) {
                out.append('+');
            }
            appendAbsTime(micros, out);
        }
    }

    private static final int WROTE = 1;
    private static final int BEFORE = 2;

    private static int appendField(long value, String unit, int state, StringBuilder out) {
        if (value == 0) {
            return state;
        }
        if ((state & WROTE) != 0) {
            out.append(' ');
        }
        if ((state & BEFORE) != 0 && value > 0) {
            out.append('+');
        }
        out.append(value).append(' ').append(unit);
        if (value != 1) {
            out.append('s');
        }
        return WROTE | (value < 0 ? BEFORE : 0);
    }

    /** |micros| as HH:MM:SS[.ffffff], without overflowing at Long.MIN_VALUE (each part is negated separately). */
    private static void appendAbsTime(long micros, StringBuilder out) {
        long hours = Math.abs(micros / DateTimeText.MICROS_PER_HOUR);
        long belowHour = Math.abs(micros % DateTimeText.MICROS_PER_HOUR);
        if (hours < 10) {
            out.append('0');
        }
        out.append(hours).append(':');
        DateTimeText.pad2((int) (belowHour / DateTimeText.MICROS_PER_MINUTE), out);
        out.append(':');
        DateTimeText.appendSeconds(belowHour % DateTimeText.MICROS_PER_MINUTE, out);
    }
}
