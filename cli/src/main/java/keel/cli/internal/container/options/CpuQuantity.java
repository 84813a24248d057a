package keel.cli.internal.container.options;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * docker's --cpus: a rational number ("1.5", "3/2", "1e-1") turned into NanoCpus (billionths of a CPU), refused
 * when it has more precision than a nanoCPU.
 */
public final class CpuQuantity {

    private CpuQuantity() {
    }

    public static long nanoCpus(String value) throws BadValue {
        BadValue unparsable = new BadValue("failed to parse " + value + " as a rational number");
        BigDecimal cpus;
        try {
            int slash = value.indexOf('/');
            if (slash >= 0) {
                BigInteger a = new BigInteger(value.substring(0, slash));
                BigInteger b = new BigInteger(value.substring(slash + 1));
                if (b.signum() == 0 || value.substring(slash + 1).startsWith("-")
                        || value.substring(slash + 1).startsWith("+")) {
                    throw unparsable;
                }
                BigDecimal nano = new BigDecimal(a).multiply(BigDecimal.valueOf(1_000_000_000L));
                BigDecimal[] qr = nano.divideAndRemainder(new BigDecimal(b));
                if (qr[1].signum() != 0) {
                    throw new BadValue("value is too precise");
                }
                return qr[0].longValue();
            }
            if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                throw unparsable;
            }
            cpus = new BigDecimal(value);
        } catch (NumberFormatException | ArithmeticException e) {
            throw unparsable;
        }
        BigDecimal nano = cpus.multiply(BigDecimal.valueOf(1_000_000_000L));
        try {
            return nano.toBigIntegerExact().longValue();
        } catch (ArithmeticException e) {
            throw new BadValue("value is too precise");
        }
    }
}
