package dev.aiagg.gateway.billing;

/** Where the billing engine keeps the charges the ledger refused. */
interface ChargeDeadLetters {

    /** Stores the refused charge durably before returning; throws when it could not. */
    void keep(RefusedCharge refused);
}
