package dev.aiagg.api.account;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Charge calls made against one hold (a reservation that covers many calls): each charge is paid from what is left
 * of the hold first and from the available balance for the rest, and the hold stays open for further calls until it
 * is released or expires. Idempotent per charge, by its {@code requestId}: a charge already made is skipped.
 */
public record ChargeAgainstHold(@TargetAggregateIdentifier String accountId, String holdId, List<CallCharge> charges) {

    /** One call's cost; {@code details}, when given, are carried into the event for usage reports. */
    public record CallCharge(String requestId, long costMicros, String description, ChargeDetails details) {
    }
}
