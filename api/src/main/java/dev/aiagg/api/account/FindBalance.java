package dev.aiagg.api.account;

/** Answered with {@link BalanceView}; a company whose account has no events yet has a zero balance. */
public record FindBalance(String companyId) {
}
