package dev.aiagg.api.account;

public record BalanceView(String companyId, long balanceMicros, long reservedMicros, long availableMicros,
                          String currency) {
}
