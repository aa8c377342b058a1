package dev.aiagg.gateway.apikey;

/** Why a presented secret does not authenticate. */
public enum KeyRefusal {
    /** No key has this secret, or it is a rotated-out secret past its grace period. */
    UNKNOWN,
    REVOKED,
    EXPIRED,
    COMPANY_SUSPENDED
}
