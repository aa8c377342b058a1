package dev.aiagg.api.account;

import dev.aiagg.api.DomainException;

/** A reservation or debit would take available funds below the credit limit. */
public class InsufficientFundsException extends DomainException {

    private final long requestedMicros;
    private final long availableMicros;

    public InsufficientFundsException(long requestedMicros, long availableMicros) {
        super("insufficient_funds", "insufficient funds: requested " + requestedMicros
                + " micro-roubles, available " + availableMicros);
        this.requestedMicros = requestedMicros;
        this.availableMicros = availableMicros;
    }

    public long requestedMicros() {
        return requestedMicros;
    }

    public long availableMicros() {
        return availableMicros;
    }
}
