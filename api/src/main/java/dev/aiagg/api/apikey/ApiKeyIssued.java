package dev.aiagg.api.apikey;

public record ApiKeyIssued(String keyId, String companyId, String name, String secretHash, String secretPrefix,
                           ApiKeyLimits limits, String issuedBy) {
}
