package io.concord.replicator.store;

import io.concord.event.NumericSpecial;
import io.concord.event.NumericValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Finite numbers between {@link BigDecimal} and the Avro {@link NumericValue}: column values of
 * numeric columns, and the increments and decrements of counter columns.
 *
 * <p>Exact both ways: the unscaled digits and the scale survive, so {@code 1.50} stays {@code 1.50}.
 * {@link #of} writes the minimal two's-complement form ({@link BigInteger#toByteArray}), which is
 * what {@code PgTextCodec} writes too.
 */
public final class NumericValues {

    private NumericValues() {
    }

    /** The NumericValue of a finite number. */
    public static NumericValue of(BigDecimal value) {
        return new NumericValue(ByteBuffer.wrap(value.unscaledValue().toByteArray()), value.scale(),
                NumericSpecial.FINITE);
    }

    /**
     * The number a finite NumericValue holds.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which no BigDecimal holds
     */
    public static BigDecimal toBigDecimal(NumericValue value) {
        if (value.getSpecial() != NumericSpecial.FINITE) {
            throw new IllegalArgumentException("numeric " + value.getSpecial() + " is not a finite number");
        }
        byte[] bytes = DatumCopies.bytes(value.getUnscaled());
        // An empty unscaled value is zero; BigInteger refuses zero-length input.
        BigInteger digits = bytes.length == 0 ? BigInteger.ZERO : new BigInteger(bytes);
        return new BigDecimal(digits, value.getScale());
    }
}
