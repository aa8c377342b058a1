package dev.aiagg.api.account;

/** The kinds of ledger entry that move a balance. Holds do not: they show in the balance's reserved part. */
public enum StatementEntryType {
    TOP_UP, CHARGE, ADJUSTMENT
}
