package dev.aiagg.gateway.apikey;

import java.util.Optional;

/** The outcome of presenting a secret: exactly one of {@code key} and {@code refusal} is set. */
public record KeyCheck(AuthenticatedKey key, KeyRefusal refusal) {

    static KeyCheck accepted(AuthenticatedKey key) {
        return new KeyCheck(key, null);
    }

    static KeyCheck refused(KeyRefusal refusal) {
        return new KeyCheck(null, refusal);
    }

    public boolean accepted() {
        return key != null;
    }

    public Optional<AuthenticatedKey> acceptedKey() {
        return Optional.ofNullable(key);
    }
}
