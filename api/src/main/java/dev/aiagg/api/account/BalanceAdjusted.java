package dev.aiagg.api.account;

public record BalanceAdjusted(String accountId, String companyId, String adjustmentId, long amountMicros,
                              String reason, String operator, long balanceAfterMicros) {
}
