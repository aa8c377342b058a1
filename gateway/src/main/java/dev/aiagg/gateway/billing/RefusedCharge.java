package dev.aiagg.gateway.billing;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import java.time.Instant;

/**
 * A call's charge the ledger refused by one of its rules: kept as a dead letter until an operator has it charged or
 * evicts it, never dropped.
 *
 * @param code   the ledger's refusal code ({@code charge_conflict}, {@code not_found}, ...)
 * @param reason the refusal's message
 */
record RefusedCharge(String companyId, String holdId, CallCharge charge, String code, String reason,
                            Instant refusedAt) {

    String accountId() {
        return AccountId.of(companyId);
    }
}
