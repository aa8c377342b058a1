package dev.aiagg.api;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Roubles as they appear in JSON (decimal strings such as {@code "100.00"}) and as the ledger keeps them
 * ({@code long} micro-roubles, 1 RUB = 1,000,000). Conversion is exact: an amount with more than six
 * decimals is rejected, never rounded.
 */
public final class Money {

    public static final long MICROS_PER_RUBLE = 1_000_000L;
    public static final String CURRENCY = "RUB";

    private Money() {
    }

    /** @throws IllegalArgumentException when the text is not a decimal number with at most six decimals */
    public static long parseMicros(String rubles) {
        if (rubles == null || rubles.isBlank()) {
            throw new IllegalArgumentException("amount is required");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(rubles.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount must be a decimal number such as \"100.00\"");
        }
        if (value.stripTrailingZeros().scale() > 6) {
            throw new IllegalArgumentException("amount has more than 6 decimals");
        }
        try {
            return value.movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount is too large");
        }
    }

    /** Two decimals at least, six at most: {@code 100000000 -> "100.00"}, {@code 1500 -> "0.0015"}. */
    public static String format(long micros) {
        BigDecimal value = BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros();
        if (value.scale() < 2) {
            value = value.setScale(2, RoundingMode.UNNECESSARY);
        }
        return value.toPlainString();
    }
}
