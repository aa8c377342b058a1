package dev.aiagg.api.account;

/** The first operation on a company's account opens it. */
public record AccountOpened(String accountId, String companyId, String currency, long creditLimitMicros) {
}
