package dev.aiagg.api.account;

/**
 * The request's cost was charged and its hold removed. {@code chargedMicros} is what left the balance; it is
 * below {@code costMicros} only when the cost exceeded the hold by more than the account could cover, and the
 * difference is then recorded as {@code uncollectedMicros} instead of breaking the credit limit. {@code details}
 * is null when the settlement named none (and in events stored before settlements carried them).
 */
public record ReservationSettled(String accountId, String companyId, String requestId, long reservedMicros,
                                 long costMicros, long chargedMicros, long uncollectedMicros, String description,
                                 long balanceAfterMicros, long reservedAfterMicros, ChargeDetails details) {
}
