package dev.aiagg.api.account;

import dev.aiagg.api.DomainException;

/** A reservation would take an API key's spending in a month over the key's monthly budget. */
public class KeyBudgetExceededException extends DomainException {

    private final String keyId;
    private final long budgetMicros;
    private final long usedMicros;

    public KeyBudgetExceededException(String keyId, String month, long requestedMicros, long budgetMicros,
                                      long usedMicros) {
        super("key_budget_exceeded", "key " + keyId + " would exceed its monthly budget for " + month
                + ": requested " + requestedMicros + " micro-roubles, budget " + budgetMicros + ", used "
                + usedMicros);
        this.keyId = keyId;
        this.budgetMicros = budgetMicros;
        this.usedMicros = usedMicros;
    }

    public String keyId() {
        return keyId;
    }

    public long budgetMicros() {
        return budgetMicros;
    }

    /** Charged and still reserved in the month, before the refused reservation. */
    public long usedMicros() {
        return usedMicros;
    }
}
