package dev.aiagg.api.apikey;

/** What a valid secret entitles its holder to. */
public record ApiKeyGrant(String keyId, String companyId, ApiKeyStatus status, ApiKeyLimits limits) {
}
