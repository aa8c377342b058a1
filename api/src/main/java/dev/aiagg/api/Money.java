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
    /** The ledger's {@code long} holds about 9.2 × 10^12 roubles: thirteen digits before the point at most. */
    public static final int MAX_INTEGER_DIGITS = 13;
    public static final int MAX_DECIMALS = 6;

    private Money() {
    }

    /**
     * Reads a decimal the way every amount and price of the API is written, and nothing else: ASCII digits, at most
     * one point with digits on both sides, at most {@value #MAX_DECIMALS} decimals and {@value #MAX_INTEGER_DIGITS}
     * digits before the point, a leading minus only when {@code negativeAllowed}; no exponent, plus sign, spaces or
     * digits of other scripts. The text is checked before any arithmetic, so no input can cost more than a scan of
     * a few characters.
     *
     * @throws IllegalArgumentException when the text is not such a decimal
     */
    public static BigDecimal parseDecimal(String text, boolean negativeAllowed) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is required");
        }
        int start = negativeAllowed && text.charAt(0) == '-' ? 1 : 0;
        int maxLength = start + MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS;
        if (text.length() > maxLength) {
            throw new IllegalArgumentException("must be at most " + MAX_INTEGER_DIGITS + " digits before the point "
                    + "and " + MAX_DECIMALS + " after it");
        }
        int point = -1;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' && point < 0) {
                point = i;
            } else if (c < '0' || c > '9') {
                throw notADecimal(negativeAllowed);
            }
        }
        int integerDigits = (point < 0 ? text.length() : point) - start;
        int decimals = point < 0 ? 0 : text.length() - point - 1;
        if (integerDigits == 0 || point >= 0 && decimals == 0) {
            throw notADecimal(negativeAllowed);
        }
        if (decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException("has more than " + MAX_DECIMALS + " decimals");
        }
        if (integerDigits > MAX_INTEGER_DIGITS) {
            throw new IllegalArgumentException("must be at most " + MAX_INTEGER_DIGITS + " digits before the point");
        }
        return new BigDecimal(text);
    }

    /**
     * A rouble amount, positive or negative, in micro-roubles (see {@link #parseDecimal}).
     *
     * @throws IllegalArgumentException when the text is not such an amount or does not fit the ledger
     */
    public static long parseMicros(String rubles) {
        BigDecimal value = parseDecimal(rubles, true);
        try {
            return value.movePointRight(MAX_DECIMALS).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large");
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

    private static IllegalArgumentException notADecimal(boolean negativeAllowed) {
        return new IllegalArgumentException(negativeAllowed
                ? "must be a decimal number such as \"100.00\" or \"-10.50\": ASCII digits, at most one point and "
                        + "a leading minus; no exponent, plus sign or spaces"
                : "must be a decimal number such as \"100.00\": ASCII digits and at most one point; no exponent, "
                        + "sign or spaces");
    }
}
