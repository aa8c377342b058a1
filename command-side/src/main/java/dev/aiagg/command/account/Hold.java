package dev.aiagg.command.account;

import java.time.Instant;

/** Funds set aside for one request until it is settled, released or expires. */
record Hold(long amountMicros, Instant expiresAt) {
}
