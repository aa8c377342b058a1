package dev.aiagg.command.account;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSetter;
import dev.aiagg.api.DomainException;
import dev.aiagg.api.Money;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.Text;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.ChargeAgainstHold;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.CreditTopUp;
import dev.aiagg.api.account.ExpireOverdueReservations;
import dev.aiagg.api.account.ExtendReservation;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.account.ReleaseReservation;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationExtended;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.api.account.TopUpCredited;
import dev.aiagg.axon.correlation.CorrelationKeys;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY;
import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE;
import static dev.aiagg.api.Text.Kind.FREE_TEXT;
import static dev.aiagg.api.Text.Kind.IDENTIFIER;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A company's balance ledger in micro-roubles. Invariant at every event:
 * {@code balance − reserved ≥ −creditLimit}. Every operation opens the account when it does not exist yet, and
 * first gives back the holds whose expiry has passed.
 *
 * <p>Only open holds are kept here; the ids of finished requests are in {@link ClosedReservations}, so that
 * snapshots stay small. The state is serialised with Jackson for snapshots, hence the field visibility.
 *
 * <p>A hold made for an API key with a monthly budget counts against that key's month until it is settled (then
 * its charge counts), released or expired; a reservation that would take the month over the budget is refused.
 * Settlement is never refused for the budget: a call that was let through is paid for.
 *
 * <p>A hold may also cover many calls: each call is then charged against it ({@link ChargeAgainstHold}), which
 * takes the cost out of the hold, and the hold stays open until it is released or expires. A call's cost is real
 * even when its hold is gone by the time it is charged: it is then paid from the available balance. Only what
 * cannot be right is refused: a hold that never existed, a request charged before at another cost.
 *
 * <p>A hold reserved with {@code extendableUntil} is a lease: it expires soon unless its holder renews it
 * ({@link ExtendReservation}), never past that instant, so the holds of a node that died lapse quickly.
 */
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
@JsonAutoDetect(fieldVisibility = ANY, getterVisibility = NONE, isGetterVisibility = NONE)
class Account {

    private static final Pattern MONTH = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");

    @AggregateIdentifier
    private String accountId;
    private String companyId;
    private String currency;
    private long creditLimitMicros;
    private long balanceMicros;
    private long reservedMicros;
    private Map<String, Hold> holds = new LinkedHashMap<>();
    private Set<String> creditedPaymentIds = new HashSet<>();
    /** What each adjustment carried, by its id, so that a repeat with another amount or reason is refused. */
    private Map<String, Adjustment> adjustments = new HashMap<>();
    /** Charged and reserved micro-roubles by month ({@code yyyy-MM}) and key; only months still counted. */
    private Map<String, Map<String, Long>> keySpending = new HashMap<>();

    public Account() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ReserveFunds command, ClosedReservations closed) {
        requireText(command.requestId(), "requestId");
        requirePositive(command.amountMicros());
        Instant now = now();
        if (command.expiresAt() == null || !command.expiresAt().isAfter(now)) {
            throw new DomainException("invalid_input", "expiresAt is required and must be in the future");
        }
        if (command.extendableUntil() != null && command.extendableUntil().isBefore(command.expiresAt())) {
            throw new DomainException("invalid_input", "extendableUntil must not come before expiresAt");
        }
        Upkeep upkeep = upkeepOpening(command.accountId(), command.companyId(), now);
        // A hold about to expire also marks its request as finished.
        if (holds.containsKey(command.requestId()) || closed.isClosed(command.accountId(), command.requestId())) {
            carryOut(upkeep, closed);
            return;
        }
        long reservedAfter = plus(upkeep.reservedAfter(), command.amountMicros());
        requireWithinBudget(command.keyBudget(), command.amountMicros(), upkeep);
        requireFits(balanceMicros, reservedAfter, command.amountMicros(), balanceMicros - upkeep.reservedAfter());
        carryOut(upkeep, closed);
        apply(new FundsReserved(accountId, companyId, command.requestId(), command.amountMicros(),
                command.expiresAt(), balanceMicros, reservedAfter, command.keyBudget(), command.extendableUntil()));
    }

    /** Renews a hold's lease, up to its {@code extendableUntil}; never shortens it. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ExtendReservation command, ClosedReservations closed) {
        requireText(command.requestId(), "requestId");
        if (command.expiresAt() == null) {
            throw new DomainException("invalid_input", "expiresAt is required");
        }
        requireOpened(command.accountId());
        Upkeep upkeep = upkeep(now());
        Hold hold = openHold(command.requestId(), upkeep, closed);
        if (hold == null) {
            throw new DomainException("reservation_closed", "reservation " + command.requestId() + " is no longer open");
        }
        if (hold.extendableUntil() == null) {
            throw new DomainException("reservation_not_extendable",
                    "reservation " + command.requestId() + " was made without a lease");
        }
        Instant expiresAt = command.expiresAt().isAfter(hold.extendableUntil()) ? hold.extendableUntil()
                : command.expiresAt();
        carryOut(upkeep, closed);
        if (expiresAt.isAfter(hold.expiresAt())) {
            apply(new ReservationExtended(accountId, companyId, command.requestId(), expiresAt));
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(SettleReservation command, ClosedReservations closed) {
        requireText(command.requestId(), "requestId");
        if (command.costMicros() < 0) {
            throw new DomainException("invalid_amount", "cost must not be negative");
        }
        requireOpened(command.accountId());
        Upkeep upkeep = upkeep(now());
        Hold hold = openHold(command.requestId(), upkeep, closed);
        carryOut(upkeep, closed);
        if (hold == null) {
            return;
        }
        long reservedAfter = reservedMicros - hold.amountMicros();
        // What the invariant still allows once this hold is gone; a cost beyond it is the platform's loss.
        long chargeable = Math.max(0, balanceMicros - reservedAfter + creditLimitMicros);
        long charged = Math.min(command.costMicros(), chargeable);
        apply(new ReservationSettled(accountId, companyId, command.requestId(), hold.amountMicros(),
                command.costMicros(), charged, command.costMicros() - charged, command.description(),
                balanceMicros - charged, reservedAfter, command.details()));
        closed.close(accountId, command.requestId());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ChargeAgainstHold command, ClosedReservations closed) {
        requireText(command.holdId(), "holdId");
        if (command.charges() == null || command.charges().isEmpty()) {
            throw new DomainException("invalid_input", "charges are required");
        }
        Set<String> requestIds = new HashSet<>();
        for (ChargeAgainstHold.CallCharge charge : command.charges()) {
            requireText(charge.requestId(), "requestId");
            if (charge.costMicros() < 0) {
                throw new DomainException("invalid_amount", "cost must not be negative");
            }
            if (!requestIds.add(charge.requestId())) {
                throw new DomainException("invalid_input", "request " + charge.requestId() + " is charged twice");
            }
        }
        requireOpened(command.accountId());
        Upkeep upkeep = upkeep(now());
        if (!holds.containsKey(command.holdId()) && !closed.isClosed(accountId, command.holdId())) {
            throw new NotFoundException("no reservation " + command.holdId());
        }
        Map<String, Long> charged = closed.closedAmong(accountId, requestIds);
        for (ChargeAgainstHold.CallCharge charge : command.charges()) {
            Long chargedBefore = charged.get(charge.requestId());
            if (chargedBefore != null && chargedBefore != charge.costMicros()) {
                throw new DomainException("charge_conflict", "request " + charge.requestId() + " was charged "
                        + chargedBefore + " micro-roubles before, not " + charge.costMicros());
            }
        }
        carryOut(upkeep, closed);
        // A hold gone by now (expired or released) covers nothing: the calls are still charged, from the balance.
        Map<String, Long> newlyCharged = new LinkedHashMap<>();
        for (ChargeAgainstHold.CallCharge charge : command.charges()) {
            if (charged.containsKey(charge.requestId())) {
                continue;
            }
            Hold hold = holds.get(command.holdId());
            long fromHold = hold == null ? 0 : Math.min(charge.costMicros(), hold.amountMicros());
            long reservedAfter = reservedMicros - fromHold;
            long chargeable = Math.max(0, balanceMicros - reservedAfter + creditLimitMicros);
            long debited = Math.min(charge.costMicros(), chargeable);
            // The calls travel together, but each charge correlates with its own request.
            apply(new ChargedAgainstHold(accountId, companyId, command.holdId(), charge.requestId(),
                    charge.costMicros(), fromHold, debited, charge.costMicros() - debited, charge.description(),
                    balanceMicros - debited, reservedAfter, charge.details()),
                    MetaData.with(CorrelationKeys.CORRELATION_ID, charge.requestId()));
            newlyCharged.put(charge.requestId(), charge.costMicros());
        }
        closed.closeCharged(accountId, newlyCharged);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ReleaseReservation command, ClosedReservations closed) {
        requireText(command.requestId(), "requestId");
        requireOpened(command.accountId());
        Upkeep upkeep = upkeep(now());
        Hold hold = openHold(command.requestId(), upkeep, closed);
        carryOut(upkeep, closed);
        if (hold == null) {
            return;
        }
        apply(new ReservationReleased(accountId, companyId, command.requestId(), hold.amountMicros(),
                command.reason(), reservedMicros - hold.amountMicros()));
        closed.close(accountId, command.requestId());
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ExpireOverdueReservations command, ClosedReservations closed) {
        requireOpened(command.accountId());
        carryOut(upkeep(now()), closed);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CreditTopUp command, ClosedReservations closed) {
        requireText(command.paymentId(), "paymentId");
        requirePositive(command.amountMicros());
        Upkeep upkeep = upkeepOpening(command.accountId(), command.companyId(), now());
        if (creditedPaymentIds.contains(command.paymentId())) {
            carryOut(upkeep, closed);
            return;
        }
        long balanceAfter = plus(balanceMicros, command.amountMicros());
        carryOut(upkeep, closed);
        apply(new TopUpCredited(accountId, companyId, command.paymentId(), command.amountMicros(), balanceAfter));
    }

    /**
     * @return the balance right after the adjustment, in micro-roubles: for a repeat, the balance its first
     * request left (or the balance now, for an adjustment older than the fingerprints)
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(AdjustBalance command, ClosedReservations closed) {
        Text.require(IDENTIFIER, command.adjustmentId(), "adjustmentId");
        Text.require(FREE_TEXT, command.reason(), "reason");
        Text.require(IDENTIFIER, command.operator(), "operator");
        if (command.amountMicros() == 0) {
            throw new DomainException("invalid_amount", "an adjustment must not be zero");
        }
        Upkeep upkeep = upkeepOpening(command.accountId(), command.companyId(), now());
        Adjustment earlier = adjustments.get(command.adjustmentId());
        if (earlier != null) {
            if (!earlier.madeBy(command.amountMicros(), command.reason())) {
                throw new DomainException("idempotency_key_reused", "adjustment " + command.adjustmentId()
                        + " was made with another amount or reason");
            }
            carryOut(upkeep, closed);
            return earlier.balanceAfterMicros() == null ? balanceMicros : earlier.balanceAfterMicros();
        }
        long balanceAfter = plus(balanceMicros, command.amountMicros());
        if (command.amountMicros() < 0) {
            requireFits(balanceAfter, upkeep.reservedAfter(), -command.amountMicros(),
                    balanceMicros - upkeep.reservedAfter());
        }
        carryOut(upkeep, closed);
        apply(new BalanceAdjusted(accountId, companyId, command.adjustmentId(), command.amountMicros(),
                command.reason(), command.operator(), balanceAfter));
        return balanceAfter;
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        accountId = event.accountId();
        companyId = event.companyId();
        currency = event.currency();
        creditLimitMicros = event.creditLimitMicros();
    }

    @EventSourcingHandler
    void on(FundsReserved event) {
        KeyBudget budget = event.keyBudget();
        if (budget == null) {
            holds.put(event.requestId(), new Hold(event.amountMicros(), event.expiresAt(), null, null,
                    event.extendableUntil()));
        } else {
            // Earlier months stop counting once no open hold belongs to them.
            keySpending.keySet().removeIf(month -> month.compareTo(budget.month()) < 0
                    && holds.values().stream().noneMatch(hold -> month.equals(hold.month())));
            holds.put(event.requestId(), new Hold(event.amountMicros(), event.expiresAt(), budget.keyId(),
                    budget.month(), event.extendableUntil()));
            addKeySpending(budget.month(), budget.keyId(), event.amountMicros());
        }
        reservedMicros = event.reservedAfterMicros();
    }

    @EventSourcingHandler
    void on(ReservationExtended event) {
        holds.computeIfPresent(event.requestId(), (id, hold) -> hold.expiringAt(event.expiresAt()));
    }

    @EventSourcingHandler
    void on(ReservationSettled event) {
        Hold hold = holds.remove(event.requestId());
        if (hold != null) {
            addKeySpending(hold.month(), hold.keyId(), event.chargedMicros() - hold.amountMicros());
        }
        balanceMicros = event.balanceAfterMicros();
        reservedMicros = event.reservedAfterMicros();
    }

    @EventSourcingHandler
    void on(ChargedAgainstHold event) {
        Hold hold = holds.get(event.holdId());
        if (hold != null) {
            holds.put(event.holdId(), hold.less(event.fromHoldMicros()));
            addKeySpending(hold.month(), hold.keyId(), event.chargedMicros() - event.fromHoldMicros());
        }
        balanceMicros = event.balanceAfterMicros();
        reservedMicros = event.reservedAfterMicros();
    }

    @EventSourcingHandler
    void on(ReservationReleased event) {
        giveBack(holds.remove(event.requestId()));
        reservedMicros = event.reservedAfterMicros();
    }

    @EventSourcingHandler
    void on(ReservationExpired event) {
        giveBack(holds.remove(event.requestId()));
        reservedMicros = event.reservedAfterMicros();
    }

    private void giveBack(Hold hold) {
        if (hold != null) {
            addKeySpending(hold.month(), hold.keyId(), -hold.amountMicros());
        }
    }

    private void addKeySpending(String month, String keyId, long micros) {
        if (keyId != null) {
            keySpending.computeIfAbsent(month, m -> new HashMap<>()).merge(keyId, micros, Long::sum);
        }
    }

    @EventSourcingHandler
    void on(TopUpCredited event) {
        creditedPaymentIds.add(event.paymentId());
        balanceMicros = event.balanceAfterMicros();
    }

    @EventSourcingHandler
    void on(BalanceAdjusted event) {
        adjustments.put(event.adjustmentId(), Adjustment.of(event));
        balanceMicros = event.balanceAfterMicros();
    }

    /** Snapshots taken before adjustments kept what they carried list only their ids. */
    @JsonSetter("adjustmentIds")
    private void adjustmentsOfAnOlderSnapshot(Set<String> adjustmentIds) {
        adjustmentIds.forEach(id -> adjustments.putIfAbsent(id, Adjustment.UNKNOWN));
    }

    /** The message clock, so that test fixtures can move time. */
    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    /**
     * Opening a new account and giving back the holds that are due: what every operation does first. It is worked
     * out before the operation's checks and applied only once they all pass, so that a refused command applies
     * nothing and leaves the account exactly as it found it.
     */
    private record Upkeep(AccountOpened opening, List<ReservationExpired> expiries, long reservedAfter) {

        boolean expires(String requestId) {
            return expiries.stream().anyMatch(expiry -> expiry.requestId().equals(requestId));
        }
    }

    /** The upkeep of an operation that opens the account when it does not exist yet. */
    private Upkeep upkeepOpening(String commandAccountId, String commandCompanyId, Instant now) {
        requireText(commandCompanyId, "companyId");
        if (!AccountId.of(commandCompanyId).equals(commandAccountId)) {
            throw new DomainException("invalid_input", "accountId does not belong to company " + commandCompanyId);
        }
        if (accountId != null) {
            return upkeep(now);
        }
        // A new account has no holds, and its zero balance and credit limit are those the opening gives it.
        return new Upkeep(new AccountOpened(commandAccountId, commandCompanyId, Money.CURRENCY, 0), List.of(), 0);
    }

    /** The upkeep of an open account: its holds due at {@code now}, in the order of their expiry. */
    private Upkeep upkeep(Instant now) {
        List<Map.Entry<String, Hold>> due = holds.entrySet().stream()
                .filter(hold -> !hold.getValue().expiresAt().isAfter(now))
                .sorted(Comparator.comparing((Map.Entry<String, Hold> hold) -> hold.getValue().expiresAt())
                        .thenComparing(Map.Entry::getKey))
                .toList();
        List<ReservationExpired> expiries = new ArrayList<>(due.size());
        long reserved = reservedMicros;
        for (Map.Entry<String, Hold> hold : due) {
            reserved -= hold.getValue().amountMicros();
            expiries.add(new ReservationExpired(accountId, companyId, hold.getKey(), hold.getValue().amountMicros(),
                    hold.getValue().expiresAt(), reserved));
        }
        return new Upkeep(null, expiries, reserved);
    }

    private void carryOut(Upkeep upkeep, ClosedReservations closed) {
        if (upkeep.opening() != null) {
            apply(upkeep.opening());
        }
        for (ReservationExpired expiry : upkeep.expiries()) {
            apply(expiry);
            closed.close(accountId, expiry.requestId());
        }
    }

    private void requireOpened(String commandAccountId) {
        if (accountId == null) {
            throw new NotFoundException("no account " + commandAccountId);
        }
    }

    /** The open hold of a request that the upkeep leaves open, null when the request is finished. */
    private Hold openHold(String requestId, Upkeep upkeep, ClosedReservations closed) {
        Hold hold = holds.get(requestId);
        if (hold == null && !closed.isClosed(accountId, requestId)) {
            throw new NotFoundException("no reservation " + requestId);
        }
        return hold == null || upkeep.expires(requestId) ? null : hold;
    }

    /** The key's spending in the month once the upkeep's expiries are given back, plus this hold, within budget. */
    private void requireWithinBudget(KeyBudget budget, long amountMicros, Upkeep upkeep) {
        if (budget == null) {
            return;
        }
        requireText(budget.keyId(), "keyBudget.keyId");
        if (budget.month() == null || !MONTH.matcher(budget.month()).matches()) {
            throw new DomainException("invalid_input", "keyBudget.month must be yyyy-MM");
        }
        if (budget.monthlyBudgetMicros() <= 0) {
            throw new DomainException("invalid_amount", "keyBudget.monthlyBudgetMicros must be positive");
        }
        long used = keySpending.getOrDefault(budget.month(), Map.of()).getOrDefault(budget.keyId(), 0L);
        for (ReservationExpired expiry : upkeep.expiries()) {
            Hold hold = holds.get(expiry.requestId());
            if (budget.keyId().equals(hold.keyId()) && budget.month().equals(hold.month())) {
                used -= hold.amountMicros();
            }
        }
        if (used > budget.monthlyBudgetMicros() - amountMicros) {
            throw new KeyBudgetExceededException(budget.keyId(), budget.month(), amountMicros,
                    budget.monthlyBudgetMicros(), used);
        }
    }

    private void requireFits(long balanceAfter, long reservedAfter, long requestedMicros, long availableMicros) {
        if (balanceAfter - reservedAfter < -creditLimitMicros) {
            throw new InsufficientFundsException(requestedMicros, availableMicros);
        }
    }

    private static long plus(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new DomainException("invalid_amount", "amount is too large");
        }
    }

    private static void requirePositive(long amountMicros) {
        if (amountMicros <= 0) {
            throw new DomainException("invalid_amount", "amount must be positive");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new DomainException("invalid_input", name + " is required");
        }
    }
}
