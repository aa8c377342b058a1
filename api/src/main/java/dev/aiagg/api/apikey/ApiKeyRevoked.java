package dev.aiagg.api.apikey;

public record ApiKeyRevoked(String keyId, String companyId, String revokedBy) {
}
