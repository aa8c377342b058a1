package dev.aiagg.gateway.apikey;

import dev.aiagg.api.apikey.ApiKeyLimits;

/** A key whose secret was accepted, with what it may do. */
public record AuthenticatedKey(String keyId, String companyId, String name, ApiKeyLimits limits) {
}
