package dev.aiagg.api.apikey;

import java.time.Instant;

/**
 * Authenticate a presented secret by its SHA-256 (hex). Answered with {@code Optional<ApiKeyGrant>}: empty when no
 * key has that secret, or when it is a rotated-out secret whose grace period ended before {@code at}.
 */
public record FindApiKeyBySecretHash(String secretHash, Instant at) {
}
