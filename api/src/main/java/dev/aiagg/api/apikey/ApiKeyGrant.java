package dev.aiagg.api.apikey;

/**
 * What a presented secret entitles its holder to. The caller still checks {@code status}, {@code companySuspended}
 * and {@code limits.expiresAt()}: a grant is returned for every key that owns the secret, so the refusal can say why.
 */
public record ApiKeyGrant(String keyId, String companyId, String name, ApiKeyStatus status,
                          boolean companySuspended, ApiKeyLimits limits) {
}
