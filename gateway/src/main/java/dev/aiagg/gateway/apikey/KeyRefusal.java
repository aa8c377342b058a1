package dev.aiagg.gateway.apikey;

/** Why a presented secret does not authenticate. */
public enum KeyRefusal {
    /** No key has this secret, or it is a rotated-out secret past its grace period. */
    UNKNOWN,
    REVOKED,
    EXPIRED,
    COMPANY_SUSPENDED,
    /**
     * Events of the key or of its company wait in the dead-letter queue of the API-key read model, so what it says
     * about the key (revoked? suspended?) cannot be trusted.
     */
    CANNOT_BE_CHECKED,
    /** The API-key read model is behind, or its processor is not running here: no key can be checked now. */
    READ_MODEL_UNAVAILABLE
}
