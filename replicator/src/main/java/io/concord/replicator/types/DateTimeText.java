package io.concord.replicator.types;

import io.concord.event.TimeTzValue;

/**
 * date, time, timetz, timestamp and timestamptz in PostgreSQL's ISO output ({@code DateStyle=ISO}): years of at
 * least four digits, {@code BC} suffix, fractions of up to six digits with trailing zeros dropped, offsets as
 * {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS}, and {@code infinity} / {@code -infinity}.
 *
 * <p>Calendar arithmetic is the proleptic Gregorian one PostgreSQL uses, year 0 being 1 BC; it is done on
 * primitives (no java.time objects) because capture converts every date and timestamp it sees.
 *
 * <p>Datum counts timestamp microseconds from 1970 in a long, which ends on 294247-01-10: PostgreSQL's last 30
 * years of timestamps (up to 294276 AD, counted from 2000) cannot be represented and are refused.
 *
 * <p>timestamptz is an instant; its text is read with the offset it was printed with and written in UTC
 * ({@code +00}). Capture's replication session runs with {@code TimeZone=UTC}, so text read from it round-trips
 * exactly.
 */
final class DateTimeText {

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    private DateTimeText() {
    }

    static int parseDate(CharSequence text) {
        if (TextCursor.is(text, "infinity")) {
            return Integer.MAX_VALUE;
        }
        if (TextCursor.is(text, "-infinity")) {
            return Integer.MIN_VALUE;
        }
        TextCursor c = new TextCursor(text, "date");
        long civil = civil(c);
        boolean bc = c.accept(" BC");
        c.expectEnd();
        return Math.toIntExact(days(civil, bc));
    }

    static long parseTime(CharSequence text) {
        TextCursor c = new TextCursor(text, "time");
        long micros = time(c);
        c.expectEnd();
        return micros;
    }

    static TimeTzValue parseTimeTz(CharSequence text) {
        TextCursor c = new TextCursor(text, "timetz");
        long micros = time(c);
        int offset = offsetSeconds(c);
        c.expectEnd();
        return new TimeTzValue(micros, offset);
    }

    private static int offsetSeconds(TextCursor c) {
        char sign = c.peek();
        if (sign != '+' && sign != '-') {
            throw c.fail("expected a UTC offset");
        }
        c.accept(sign);
        long seconds = c.digits(2, 2) * 3600;
        if (c.accept(':')) {
            seconds += c.digits(2, 2) * 60;
            if (c.accept(':')) {
                seconds += c.digits(2, 2);
            }
        }
        return (int) (sign == '-' ? -seconds : seconds);
    }

    /** timestamp (zoned false) or timestamptz (zoned true) to microseconds since 1970-01-01 00:00 (UTC if zoned). */
    static long parseTimestamp(CharSequence text, boolean zoned) {
        if (TextCursor.is(text, "infinity")) {
            return Long.MAX_VALUE;
        }
        if (TextCursor.is(text, "-infinity")) {
            return Long.MIN_VALUE;
        }
        TextCursor c = new TextCursor(text, zoned ? "timestamptz" : "timestamp");
        long civil = civil(c);
        c.expect(' ');
        long micros = time(c);
        int offset = zoned ? offsetSeconds(c) : 0;
        boolean bc = c.accept(" BC");
        c.expectEnd();
        try {
            long value = Math.addExact(Math.multiplyExact(days(civil, bc), MICROS_PER_DAY),
                    micros - offset * MICROS_PER_SECOND);
            if (value == Long.MAX_VALUE || value == Long.MIN_VALUE) {
                throw new ArithmeticException("reserved for infinity");
            }
            return value;
        } catch (ArithmeticException e) {
            // PostgreSQL counts from 2000 and reaches 294276 AD; counted from 1970 a long ends in 294247 AD.
            throw c.fail("beyond the range of Datum timestamps (microseconds since 1970 in a long)");
        }
    }

    static void formatDate(int days, StringBuilder out) {
        if (days == Integer.MAX_VALUE) {
            out.append("infinity");
        } else if (days == Integer.MIN_VALUE) {
            out.append("-infinity");
        } else {
            boolean bc = appendDate(days, out);
            if (bc) {
                out.append(" BC");
            }
        }
    }

    static void formatTime(long micros, StringBuilder out) {
        appendTime(micros, out);
    }

    static void formatTimeTz(long micros, int offsetSeconds, StringBuilder out) {
        appendTime(micros, out);
        appendOffset(offsetSeconds, out);
    }

    static void formatTimestamp(long micros, boolean zoned, StringBuilder out) {
        if (micros == Long.MAX_VALUE) {
            out.append("infinity");
            return;
        }
        if (micros == Long.MIN_VALUE) {
            out.append("-infinity");
            return;
        }
        boolean bc = appendDate(Math.floorDiv(micros, MICROS_PER_DAY), out);
        out.append(' ');
        appendTime(Math.floorMod(micros, MICROS_PER_DAY), out);
        if (zoned) {
            out.append("+00");
        }
        if (bc) {
            out.append(" BC");
        }
    }

    /** The offset as PostgreSQL prints it: +HH, +HH:MM when minutes are not zero, +HH:MM:SS when seconds not. */
    static void appendOffset(int offsetSeconds, StringBuilder out) {
        int abs = Math.abs(offsetSeconds);
        out.append(offsetSeconds >= 0 ? '+' : '-');
        pad2(abs / 3600, out);
        int minutes = abs / 60 % 60;
        int seconds = abs % 60;
        if (minutes != 0 || seconds != 0) {
            out.append(':');
            pad2(minutes, out);
        }
        if (seconds != 0) {
            out.append(':');
            pad2(seconds, out);
        }
    }

    /** "HH:MM:SS" then, if any, '.' and the fraction without trailing zeros; hours may pass 24 (intervals). */
    static void appendTime(long micros, StringBuilder out) {
        long hours = micros / MICROS_PER_HOUR;
        if (hours < 10) {
            out.append('0');
        }
        out.append(hours).append(':');
        pad2((int) (micros / MICROS_PER_MINUTE % 60), out);
        out.append(':');
        appendSeconds(micros % MICROS_PER_MINUTE, out);
    }

    /** Seconds below a minute: "SS" and the fraction without trailing zeros. */
    static void appendSeconds(long micros, StringBuilder out) {
        pad2((int) (micros / MICROS_PER_SECOND), out);
        int fraction = (int) (micros % MICROS_PER_SECOND);
        if (fraction != 0) {
            out.append('.');
            int divisor = 100_000;
            while (fraction != 0) {
                out.append((char) ('0' + fraction / divisor));
                fraction %= divisor;
                divisor /= 10;
            }
        }
    }

    static void pad2(int value, StringBuilder out) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }

    /** "YYYY-MM-DD", packed like {@link #civilFromDays}; the year as printed (a BC year is turned later). */
    private static long civil(TextCursor c) {
        long year = c.digits(4, 9);
        c.expect('-');
        int month = (int) c.digits(2, 2);
        c.expect('-');
        int day = (int) c.digits(2, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            throw c.fail("month or day out of range");
        }
        return year << 16 | month << 8 | day;
    }

    /** Days since 1970-01-01 of a printed date; printed year Y with a BC suffix is proleptic year 1 - Y. */
    private static long days(long civil, boolean bc) {
        long year = civil >> 16;
        return daysFromCivil(bc ? 1 - year : year, (int) (civil >> 8 & 0xFF), (int) (civil & 0xFF));
    }

    private static long time(TextCursor c) {
        long hours = c.digits(2, 2);
        c.expect(':');
        long minutes = c.digits(2, 2);
        c.expect(':');
        long seconds = c.digits(2, 2);
        long micros = hours * MICROS_PER_HOUR + minutes * MICROS_PER_MINUTE + seconds * MICROS_PER_SECOND
                + c.fractionMicros();
        if (minutes > 59 || seconds > 60 || micros > MICROS_PER_DAY) {
            throw c.fail("time of day out of range");
        }
        return micros;
    }

    /** Writes the date of a day number; returns whether it is BC (the caller appends " BC" where it belongs). */
    private static boolean appendDate(long days, StringBuilder out) {
        long packed = civilFromDays(days);
        long year = packed >> 16;
        boolean bc = year <= 0;
        long printed = bc ? 1 - year : year;
        for (long p = 1000; p > 1 && printed < p; p /= 10) {
            out.append('0');
        }
        out.append(printed).append('-');
        pad2((int) (packed >> 8 & 0xFF), out);
        out.append('-');
        pad2((int) (packed & 0xFF), out);
        return bc;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /** The date of a day number, packed as year << 16 | month << 8 | day (H. Hinnant's civil_from_days). */
    static long civilFromDays(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long dayOfEra = z - era * 146097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return year << 16 | month << 8 | day;
    }
}
