package dev.aiagg.gateway.billing;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A ledger in memory that keeps the rules the billing engine relies on: holds within the balance, charges idempotent
 * by request id (the same request at another cost refused), renewals refused once a hold is gone. It can be taken
 * down, and can refuse or lose answers on demand. It answers at once, on the caller's thread.
 */
final class FakeLedger implements Ledger {

    record Reservation(String holdId, long amountMicros, Instant expiresAt, Instant extendableUntil) {
    }

    record Extension(String holdId, Instant expiresAt) {
    }

    final List<Reservation> reservations = new CopyOnWriteArrayList<>();
    final List<Extension> extensions = new CopyOnWriteArrayList<>();
    /** Every charge command that reached the ledger, as its list of request ids, refused ones included. */
    final List<List<String>> chargeCommands = new CopyOnWriteArrayList<>();
    final Map<String, Long> charged = new ConcurrentHashMap<>();
    final Map<String, String> holdOfCharge = new ConcurrentHashMap<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    private final Map<String, Reservation> open = new ConcurrentHashMap<>();
    volatile long availableMicros = Long.MAX_VALUE / 4;
    /** Nothing reaches it: every operation fails as a lost connection would. */
    volatile boolean down;
    volatile boolean renewalsFail;
    /** The next batch of charges is stored, but its answer is lost on the way back. */
    volatile boolean loseNextAnswer;

    @Override
    public synchronized CompletableFuture<?> reserve(String companyId, String holdId, long amountMicros,
                                                     Instant expiresAt, Instant extendableUntil, KeyBudget keyBudget) {
        if (down) {
            return unreachable();
        }
        if (amountMicros > availableMicros) {
            return CompletableFuture.failedFuture(new InsufficientFundsException(amountMicros, availableMicros));
        }
        availableMicros -= amountMicros;
        Reservation reservation = new Reservation(holdId, amountMicros, expiresAt, extendableUntil);
        reservations.add(reservation);
        open.put(holdId, reservation);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<?> extend(String companyId, String holdId, Instant expiresAt) {
        if (down || renewalsFail) {
            return unreachable();
        }
        if (!open.containsKey(holdId)) {
            return CompletableFuture.failedFuture(new DomainException("reservation_closed", holdId + " is gone"));
        }
        extensions.add(new Extension(holdId, expiresAt));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<?> charge(String companyId, String holdId, List<CallCharge> charges) {
        if (down) {
            return unreachable();
        }
        chargeCommands.add(charges.stream().map(CallCharge::requestId).toList());
        if (reservations.stream().noneMatch(r -> r.holdId().equals(holdId))) {
            return CompletableFuture.failedFuture(new NotFoundException("no reservation " + holdId));
        }
        for (CallCharge charge : charges) {
            Long before = charged.get(charge.requestId());
            if (before != null && before != charge.costMicros()) {
                return CompletableFuture.failedFuture(new DomainException("charge_conflict",
                        "request " + charge.requestId() + " was charged " + before + " before"));
            }
        }
        for (CallCharge charge : charges) {
            if (charged.putIfAbsent(charge.requestId(), charge.costMicros()) == null) {
                holdOfCharge.put(charge.requestId(), holdId);
            }
        }
        if (loseNextAnswer) {
            loseNextAnswer = false;
            return unreachable();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<?> release(String companyId, String holdId, String reason) {
        if (down) {
            return unreachable();
        }
        if (open.remove(holdId) != null) {
            released.add(holdId);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The hold expired in the ledger (this node could not renew it in time). */
    synchronized void expire(String holdId) {
        open.remove(holdId);
    }

    synchronized List<String> openHolds() {
        return new ArrayList<>(open.keySet());
    }

    private static CompletableFuture<?> unreachable() {
        return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
    }
}
