package dev.aiagg.api.account;

public record TopUpCredited(String accountId, String companyId, String paymentId, long amountMicros,
                            long balanceAfterMicros) {
}
