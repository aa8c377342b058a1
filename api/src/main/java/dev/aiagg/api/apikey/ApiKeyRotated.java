package dev.aiagg.api.apikey;

import java.time.Instant;

public record ApiKeyRotated(String keyId, String companyId, String newSecretHash, String newSecretPrefix,
                            String previousSecretHash, Instant previousValidUntil, String rotatedBy) {
}
