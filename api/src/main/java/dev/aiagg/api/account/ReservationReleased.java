package dev.aiagg.api.account;

public record ReservationReleased(String accountId, String companyId, String requestId, long amountMicros,
                                  String reason, long reservedAfterMicros) {
}
