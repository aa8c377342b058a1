package dev.aiagg.api.account;

/**
 * A call's cost was charged against a hold. {@code fromHoldMicros} is the part the hold covered (the hold shrinks by
 * it and stays open); {@code chargedMicros} is what left the balance. As with a settlement, a cost the account could
 * not cover within its credit limit is recorded as {@code uncollectedMicros} instead of breaking the limit.
 */
public record ChargedAgainstHold(String accountId, String companyId, String holdId, String requestId,
                                 long costMicros, long fromHoldMicros, long chargedMicros, long uncollectedMicros,
                                 String description, long balanceAfterMicros, long reservedAfterMicros,
                                 ChargeDetails details) {
}
