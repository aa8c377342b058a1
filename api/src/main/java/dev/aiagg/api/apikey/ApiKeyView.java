package dev.aiagg.api.apikey;

import java.time.Instant;

/** A key as listings show it: never the secret nor its hash. */
public record ApiKeyView(String keyId, String companyId, String name, String secretPrefix, ApiKeyLimits limits,
                         ApiKeyStatus status, Instant issuedAt, Instant rotatedAt, Instant revokedAt) {
}
