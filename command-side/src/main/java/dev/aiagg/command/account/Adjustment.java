package dev.aiagg.command.account;

import dev.aiagg.api.account.BalanceAdjusted;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * What an adjustment carried: a SHA-256 fingerprint of its amount and reason (small in a snapshot, whatever the
 * reason's length) and the balance it left. Both are null for an adjustment read from a snapshot taken before they
 * were kept; a repeat of such an adjustment is taken as the same request.
 */
record Adjustment(String fingerprint, Long balanceAfterMicros) {

    static final Adjustment UNKNOWN = new Adjustment(null, null);

    static Adjustment of(BalanceAdjusted event) {
        return new Adjustment(fingerprint(event.amountMicros(), event.reason()), event.balanceAfterMicros());
    }

    boolean madeBy(long amountMicros, String reason) {
        return fingerprint == null || fingerprint.equals(fingerprint(amountMicros, reason));
    }

    private static String fingerprint(long amountMicros, String reason) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((amountMicros + "\n" + reason).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
