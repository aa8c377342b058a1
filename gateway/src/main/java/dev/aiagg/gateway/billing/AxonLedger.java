package dev.aiagg.gateway.billing;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargeAgainstHold;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.ExtendReservation;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.ReleaseReservation;
import dev.aiagg.api.account.ReserveFunds;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** The ledger is the company's Account aggregate, reached through the command bus. */
final class AxonLedger implements Ledger {

    private final CommandGateway commands;

    AxonLedger(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public CompletableFuture<?> reserve(String companyId, String holdId, long amountMicros, Instant expiresAt,
                                        Instant extendableUntil, KeyBudget keyBudget) {
        return commands.send(new ReserveFunds(AccountId.of(companyId), companyId, holdId, amountMicros, expiresAt,
                keyBudget, extendableUntil));
    }

    @Override
    public CompletableFuture<?> extend(String companyId, String holdId, Instant expiresAt) {
        return commands.send(new ExtendReservation(AccountId.of(companyId), holdId, expiresAt));
    }

    @Override
    public CompletableFuture<?> charge(String companyId, String holdId, List<CallCharge> charges) {
        return commands.send(new ChargeAgainstHold(AccountId.of(companyId), holdId, charges));
    }

    @Override
    public CompletableFuture<?> release(String companyId, String holdId, String reason) {
        return commands.send(new ReleaseReservation(AccountId.of(companyId), holdId, reason));
    }
}
