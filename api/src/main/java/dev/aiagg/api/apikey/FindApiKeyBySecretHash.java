package dev.aiagg.api.apikey;

/**
 * Authenticate a presented secret by its SHA-256. Answered with {@code Optional<ApiKeyGrant>}: empty when no key
 * has that secret, or the secret is a rotated one past its grace period.
 */
public record FindApiKeyBySecretHash(String secretHash) {
}
