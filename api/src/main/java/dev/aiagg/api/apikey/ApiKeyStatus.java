package dev.aiagg.api.apikey;

public enum ApiKeyStatus {
    ACTIVE, REVOKED
}
