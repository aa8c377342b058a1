package dev.aiagg.command.account;

import java.time.Instant;

/**
 * Funds set aside for one request, or for many calls charged against it, until it is settled, released or expires.
 * {@code keyId} and {@code month} name the key budget the hold counts against; both are null for a hold made for no
 * key. {@code extendableUntil} is the latest expiry a renewal of its lease may set, null when it has no lease.
 */
record Hold(long amountMicros, Instant expiresAt, String keyId, String month, Instant extendableUntil) {

    /** What is left once a charge took {@code micros} from it. */
    Hold less(long micros) {
        return new Hold(amountMicros - micros, expiresAt, keyId, month, extendableUntil);
    }

    Hold expiringAt(Instant expiry) {
        return new Hold(amountMicros, expiry, keyId, month, extendableUntil);
    }
}
