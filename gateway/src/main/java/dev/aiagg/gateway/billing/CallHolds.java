package dev.aiagg.gateway.billing;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.account.ChargeAgainstHold;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.axon.commandbus.CommandBusOverloadedException;
import dev.aiagg.axon.correlation.CorrelationKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.axonframework.spring.config.SpringAxonConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;

/**
 * The holds this node's calls are paid from. A durable reservation before every call would put a database commit
 * in front of each answer; instead an API key's calls draw their maximum cost from a hold reserved in the ledger for
 * many calls at once ({@code aiagg.llm.hold-calls} times the call's maximum, or what the balance and the key's budget
 * still allow). A call that ends gives back what it did not use, and its exact charge is queued; every
 * {@code aiagg.llm.charge-flush-interval} the queued charges of a hold go to the ledger in one
 * {@link ChargeAgainstHold}. A hold no call has drawn from for {@code aiagg.llm.hold-idle}, or too old to see another
 * whole call through, takes no more calls and is released once its calls are charged.
 *
 * <p>A hold is a lease of {@code aiagg.llm.hold-lease}, renewed while this node keeps it, up to
 * {@code aiagg.llm.hold-max-lifetime}: the holds of a node that died lapse within a lease. A call may last at most
 * {@code aiagg.proxy.max-call-duration}, and a hold takes new calls only while such a call still ends a lease before
 * the hold's last possible expiry, so a call never outlives its hold.
 *
 * <p>No company spends past its limit: every call is covered by a hold the ledger granted before the call was made.
 * Charges are idempotent by request id. A charge the ledger could not store (it is down, say) is kept and sent again
 * with backoff; one the ledger refused by a rule is sent again alone, and kept as a dead letter when it is refused
 * again. Up to {@code aiagg.llm.max-undelivered-charges} charges may wait so; beyond that no new call is admitted.
 * Should the node die, the charges not yet sent (at most one flush interval of them, and those of its calls in
 * flight) are lost with it.
 */
final class CallHolds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallHolds.class);
    private static final int MAX_CHARGES_PER_COMMAND = 500;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);
    private static final Duration SHUTTING_DOWN_RETRY = Duration.ofSeconds(1);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private final Ledger ledger;
    private final ChargeDeadLetters deadLetters;
    private final BillingProperties properties;
    private final Duration callLimit;
    /** A hold whose lease has less left than this takes no new calls: its renewals are failing. */
    private final Duration leaseLeftToDraw;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<Lane, LaneHolds> lanes = new ConcurrentHashMap<>();
    private final Queue<RefusedCharge> refused = new ConcurrentLinkedQueue<>();
    private final AtomicLong undelivered = new AtomicLong();
    private volatile boolean admitting = true;
    private volatile boolean running;

    /**
     * @param callLimit the longest a call may last ({@code aiagg.proxy.max-call-duration})
     * @param timer     runs the flushes and keeps the refused charges: two threads, the engine's own
     */
    CallHolds(Ledger ledger, ChargeDeadLetters deadLetters, BillingProperties properties, Duration callLimit,
              Clock clock, ScheduledExecutorService timer) {
        this.ledger = ledger;
        this.deadLetters = deadLetters;
        this.properties = properties;
        this.callLimit = callLimit;
        this.leaseLeftToDraw = properties.holdLease().dividedBy(4);
        this.clock = clock;
        this.timer = timer;
    }

    /** The calls of one key in one month, for one budget, share holds. */
    private record Lane(String companyId, String keyId, String month, Long monthlyBudgetMicros) {

        KeyBudget keyBudget() {
            return monthlyBudgetMicros == null ? null : new KeyBudget(keyId, monthlyBudgetMicros, month);
        }
    }

    /** A call's claim on a hold: its maximum cost, until it ends. */
    record Draw(OpenHold hold, long maxCostMicros) {
    }

    /**
     * A hold as this node sees it; guarded by its lane's lock. A hold with a call in flight stays in its lane, so
     * the lane is still the one whose lock guards it when the call ends.
     */
    static final class OpenHold {

        private final LaneHolds lane;
        private final String id;
        private final long amountMicros;
        /** The last instant it takes new calls at: a whole call and a lease still fit before its last expiry. */
        private final Instant drawUntil;
        private final Instant extendableUntil;
        private final List<CallCharge> pending = new ArrayList<>();
        /** Charges of a batch the ledger refused, each sent again alone to find the one it refuses. */
        private final Deque<CallCharge> alone = new ArrayDeque<>();
        private Instant expiresAt;
        private long committedMicros;
        private int callsInFlight;
        private Instant lastDrawnAt;
        private boolean retired;
        /** The ledger no longer holds it (it expired): its calls are still charged, from the balance. */
        private boolean lapsed;
        private boolean extending;
        private int sending;
        private int failures;
        private Instant retryAt = Instant.EPOCH;

        private OpenHold(LaneHolds lane, String id, long amountMicros, Instant openedAt, Instant expiresAt,
                         Instant extendableUntil, Duration callLimit, Duration lease) {
            this.lane = lane;
            this.id = id;
            this.amountMicros = amountMicros;
            this.expiresAt = expiresAt;
            this.extendableUntil = extendableUntil;
            this.drawUntil = extendableUntil.minus(callLimit).minus(lease);
            this.lastDrawnAt = openedAt;
        }

        String id() {
            return id;
        }

        private long freeMicros() {
            return amountMicros - committedMicros;
        }

        private boolean settled() {
            return pending.isEmpty() && alone.isEmpty() && sending == 0;
        }
    }

    /** The open holds of a lane, guarded by its own lock; {@code opening} lets one call at a time reserve more. */
    private static final class LaneHolds {

        private final List<OpenHold> open = new ArrayList<>();
        private final Object opening = new Object();
        private int reserving;
        private boolean detached;
        private long lastMaxCostMicros;
        private Instant lastDrawnAt = Instant.EPOCH;
        private long secondStartedMillis;
        private long spentThisSecondMicros;
        private long spentLastSecondMicros;

        private void spent(long micros, long nowMillis) {
            roll(nowMillis);
            spentThisSecondMicros += micros;
        }

        private long spentPerSecondMicros(long nowMillis) {
            roll(nowMillis);
            return Math.max(spentThisSecondMicros, spentLastSecondMicros);
        }

        private void roll(long nowMillis) {
            long elapsed = nowMillis - secondStartedMillis;
            if (elapsed >= 1_000) {
                spentLastSecondMicros = elapsed < 2_000 ? spentThisSecondMicros : 0;
                spentThisSecondMicros = 0;
                secondStartedMillis = nowMillis;
            }
        }

        private int callsInFlight() {
            return open.stream().mapToInt(hold -> hold.callsInFlight).sum();
        }

        private long freeMicros() {
            return open.stream().filter(hold -> !hold.retired).mapToLong(OpenHold::freeMicros).sum();
        }
    }

    /**
     * Draws a call's maximum cost from an open hold of the key, reserving a new hold when none has room.
     *
     * @throws InsufficientFundsException  when the account cannot cover even this one call
     * @throws KeyBudgetExceededException  when the key's monthly budget cannot
     * @throws BillingUnavailableException when this node admits no call: it is shutting down, too many charges wait
     *                                     for the ledger, or the ledger did not answer
     */
    Draw draw(String companyId, String keyId, Long monthlyBudgetMicros, long maxCostMicros) {
        requireAdmitting();
        Lane lane = new Lane(companyId, keyId, YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString(),
                monthlyBudgetMicros);
        while (true) {
            LaneHolds holds = lanes.computeIfAbsent(lane, l -> new LaneHolds());
            long amount;
            synchronized (holds) {
                if (holds.detached) {
                    continue;
                }
                Draw draw = drawFromOpen(holds, maxCostMicros);
                if (draw != null) {
                    return draw;
                }
                holds.reserving++;
                amount = wantedMicros(holds, maxCostMicros);
            }
            // One new hold at a time per key; the lane's lock is not held meanwhile, so ending calls and the
            // flusher (whose charges complete on the command bus's threads) never wait for the ledger.
            try {
                synchronized (holds.opening) {
                    synchronized (holds) {
                        Draw draw = drawFromOpen(holds, maxCostMicros);
                        if (draw != null) {
                            return draw;
                        }
                    }
                    OpenHold hold = reserve(holds, lane, maxCostMicros, amount);
                    synchronized (holds) {
                        holds.open.add(hold);
                        return take(hold, maxCostMicros, clock.instant());
                    }
                }
            } finally {
                synchronized (holds) {
                    holds.reserving--;
                }
            }
        }
    }

    /**
     * Refuses a new call when this node is shutting down or too many charges wait for the ledger.
     *
     * @throws BillingUnavailableException then
     */
    void requireAdmitting() {
        if (!admitting) {
            throw new BillingUnavailableException("This server is shutting down; please retry.", SHUTTING_DOWN_RETRY);
        }
        if (undelivered.get() >= properties.maxUndeliveredCharges()) {
            throw new BillingUnavailableException("This server cannot record charges at the moment; please retry.",
                    MAX_RETRY_DELAY);
        }
    }

    /** True when an open hold of the key on this node may still be drawn from and has room left. */
    boolean hasRoom(String companyId, String keyId, Long monthlyBudgetMicros) {
        LaneHolds holds = lanes.get(new Lane(companyId, keyId,
                YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString(), monthlyBudgetMicros));
        if (holds == null) {
            return false;
        }
        Instant now = clock.instant();
        synchronized (holds) {
            return holds.open.stream().anyMatch(hold -> drawable(hold, now) && hold.freeMicros() > 0);
        }
    }

    private Draw drawFromOpen(LaneHolds holds, long maxCostMicros) {
        Instant now = clock.instant();
        for (OpenHold hold : holds.open) {
            if (drawable(hold, now) && hold.freeMicros() >= maxCostMicros) {
                return take(hold, maxCostMicros, now);
            }
        }
        return null;
    }

    /** Not retired, a whole call still fits in its lifetime, and its lease has been renewed lately. */
    private boolean drawable(OpenHold hold, Instant now) {
        return !hold.retired && !hold.lapsed && now.isBefore(hold.drawUntil)
                && hold.expiresAt.isAfter(now.plus(leaseLeftToDraw));
    }

    /** The call ended and costs {@code charge.costMicros()}: what it did not use goes back to the hold. */
    void charge(Draw draw, CallCharge charge) {
        undelivered.incrementAndGet();
        synchronized (draw.hold().lane) {
            OpenHold hold = draw.hold();
            hold.committedMicros += charge.costMicros() - draw.maxCostMicros();
            hold.callsInFlight--;
            hold.pending.add(charge);
            hold.lane.spent(charge.costMicros(), clock.millis());
        }
    }

    /** The call ended without costing anything. */
    void giveBack(Draw draw) {
        synchronized (draw.hold().lane) {
            draw.hold().committedMicros -= draw.maxCostMicros();
            draw.hold().callsInFlight--;
        }
    }

    private Draw take(OpenHold hold, long maxCostMicros, Instant now) {
        hold.committedMicros += maxCostMicros;
        hold.callsInFlight++;
        hold.lastDrawnAt = now;
        hold.lane.lastDrawnAt = hold.lastDrawnAt;
        hold.lane.lastMaxCostMicros = maxCostMicros;
        return new Draw(hold, maxCostMicros);
    }

    /**
     * What a new hold should cover: {@code hold-calls} calls at this call's maximum cost, twice the key's calls in
     * flight when there are more (a key that runs many calls at once would otherwise need a new hold for nearly every
     * call), or two seconds of what the key has been spending, whichever is most.
     */
    private long wantedMicros(LaneHolds holds, long maxCostMicros) {
        long byCalls = multiplyCapped(maxCostMicros, Math.max(properties.holdCalls(), 2 * holds.callsInFlight() + 1));
        return Math.max(byCalls, multiplyCapped(holds.spentPerSecondMicros(clock.millis()), 2));
    }

    /**
     * Reserves the amount; when the balance or the key's budget allows less, whatever they allow, as long as it
     * covers this call.
     */
    private OpenHold reserve(LaneHolds holds, Lane lane, long maxCostMicros, long amount) {
        String holdId = newHoldId();
        while (true) {
            Instant now = clock.instant();
            Instant expiresAt = now.plus(properties.holdLease());
            Instant extendableUntil = now.plus(properties.holdMaxLifetime());
            long asked = amount;
            try {
                awaitLedger(() -> ledger.reserve(lane.companyId(), holdId, asked, expiresAt, extendableUntil,
                        lane.keyBudget()));
                return newHold(holds, holdId, asked, now, expiresAt, extendableUntil);
            } catch (InsufficientFundsException refused) {
                amount = smallerOrRethrow(asked, refused.availableMicros(), maxCostMicros, refused);
            } catch (KeyBudgetExceededException refused) {
                amount = smallerOrRethrow(asked, refused.budgetMicros() - refused.usedMicros(), maxCostMicros,
                        refused);
            }
        }
    }

    /** Waits for the ledger's answer within {@code aiagg.llm.ledger-timeout}; its refusals come back as thrown. */
    private void awaitLedger(Supplier<CompletableFuture<?>> operation) {
        try {
            operation.get().get(properties.ledgerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException failed) {
            DomainException refusal = Ledger.refusal(failed);
            if (refusal != null) {
                throw refusal;
            }
            if (overloaded(failed)) {
                throw new BillingUnavailableException("The platform is busy; retry the request shortly.",
                        BUSY_RETRY);
            }
            log.warn("the ledger could not grant a hold: {}", failed.getCause().toString());
            throw new BillingUnavailableException("The ledger is unavailable; please retry.", MAX_RETRY_DELAY);
        } catch (TimeoutException slow) {
            log.warn("the ledger did not grant a hold within {}", properties.ledgerTimeout());
            throw new BillingUnavailableException("The ledger is unavailable; please retry.", MAX_RETRY_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingUnavailableException("Interrupted while waiting for the ledger.", MAX_RETRY_DELAY);
        }
    }

    /** The command bus refused the reservation at once, its queue full: busy for a moment, not unavailable. */
    private static boolean overloaded(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CommandBusOverloadedException) {
                return true;
            }
        }
        return false;
    }

    private OpenHold newHold(LaneHolds holds, String holdId, long amount, Instant now, Instant expiresAt,
                             Instant extendableUntil) {
        return new OpenHold(holds, holdId, amount, now, expiresAt, extendableUntil, callLimit,
                properties.holdLease());
    }

    /**
     * A busy key gets its next hold before the open ones run out, so its calls do not wait for the ledger. Should
     * the ledger refuse, the next call that finds no room reserves what is left, or is refused.
     */
    private void refill(Lane lane, LaneHolds holds, long amount) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.holdLease());
        Instant extendableUntil = now.plus(properties.holdMaxLifetime());
        String holdId = newHoldId();
        withContext(lane, holdId, () -> ledger.reserve(lane.companyId(), holdId, amount, expiresAt, extendableUntil,
                lane.keyBudget())).whenComplete((result, failure) -> {
                    synchronized (holds) {
                        holds.reserving--;
                        if (failure == null) {
                            holds.open.add(newHold(holds, holdId, amount, now, expiresAt, extendableUntil));
                        } else {
                            log.debug("hold for key {} not refilled: {}", lane.keyId(), failure.toString());
                        }
                    }
                });
    }

    private static String newHoldId() {
        return "hold_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static long smallerOrRethrow(long amount, long allowed, long maxCostMicros, DomainException refused) {
        if (allowed < maxCostMicros || allowed >= amount) {
            throw refused;
        }
        return allowed;
    }

    private static long multiplyCapped(long micros, int times) {
        try {
            return Math.multiplyExact(micros, times);
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** What the timer does: keeps the refused charges, then flushes. */
    void tick() {
        keepRefused();
        flush();
    }

    /** Sends the queued charges of every hold, renews the leases of the holds still kept, releases those done. */
    void flush() {
        Instant now = clock.instant();
        for (var lane : lanes.entrySet()) {
            LaneHolds holds = lane.getValue();
            List<Runnable> sends = new ArrayList<>();
            synchronized (holds) {
                for (OpenHold hold : List.copyOf(holds.open)) {
                    flushHold(lane.getKey(), holds, hold, now, sends);
                }
                if (admitting && holds.reserving == 0 && holds.lastMaxCostMicros > 0
                        && holds.lastDrawnAt.plus(properties.chargeFlushInterval().multipliedBy(2)).isAfter(now)) {
                    long wanted = wantedMicros(holds, holds.lastMaxCostMicros);
                    if (holds.freeMicros() < wanted / 2) {
                        holds.reserving++;
                        sends.add(() -> refill(lane.getKey(), holds, wanted));
                    }
                }
                if (holds.open.isEmpty() && holds.reserving == 0) {
                    holds.detached = true;
                    lanes.remove(lane.getKey(), holds);
                }
            }
            sends.forEach(Runnable::run);
        }
    }

    /** One hold's part of a flush, under its lane's lock; what goes to the ledger is added to {@code sends}. */
    private void flushHold(Lane lane, LaneHolds holds, OpenHold hold, Instant now, List<Runnable> sends) {
        if (hold.sending == 0 && !hold.retryAt.isAfter(now)) {
            if (!hold.alone.isEmpty()) {
                List<CallCharge> each = List.copyOf(hold.alone);
                hold.alone.clear();
                hold.sending = each.size();
                each.forEach(charge -> sends.add(() -> sendCharges(lane, holds, hold, List.of(charge))));
            } else if (!hold.pending.isEmpty()) {
                List<CallCharge> batch = takeBatch(hold);
                hold.sending = 1;
                sends.add(() -> sendCharges(lane, holds, hold, batch));
            } else if (due(hold, now)) {
                hold.retired = true;
                if (hold.callsInFlight == 0) {
                    holds.open.remove(hold);
                    sends.add(() -> release(lane, hold));
                    return;
                }
            }
        }
        if (!hold.extending && !hold.lapsed && hold.expiresAt.isBefore(hold.extendableUntil)
                && !hold.expiresAt.isAfter(now.plus(properties.holdLease().dividedBy(2)))) {
            Instant renewed = min(now.plus(properties.holdLease()), hold.extendableUntil);
            hold.extending = true;
            sends.add(() -> extend(lane, holds, hold, renewed));
        }
    }

    private boolean due(OpenHold hold, Instant now) {
        return !drawable(hold, now) || !hold.lastDrawnAt.plus(properties.holdIdle()).isAfter(now);
    }

    private static List<CallCharge> takeBatch(OpenHold hold) {
        int size = Math.min(MAX_CHARGES_PER_COMMAND, hold.pending.size());
        List<CallCharge> batch = new ArrayList<>(hold.pending.subList(0, size));
        hold.pending.subList(0, size).clear();
        return batch;
    }

    private void extend(Lane lane, LaneHolds holds, OpenHold hold, Instant renewed) {
        withContext(lane, hold.id(), () -> ledger.extend(lane.companyId(), hold.id(), renewed)
                .orTimeout(properties.ledgerTimeout().toNanos(), TimeUnit.NANOSECONDS))
                .whenComplete((result, thrown) -> {
                    DomainException refusal = Ledger.refusal(thrown);
                    synchronized (holds) {
                        hold.extending = false;
                        if (thrown == null) {
                            hold.expiresAt = max(hold.expiresAt, renewed);
                        } else if (refusal != null) {
                            // Expired meanwhile (this node could not reach the ledger for a lease, say).
                            log.warn("hold {} lapsed: {}", hold.id(), refusal.getMessage());
                            hold.lapsed = true;
                            hold.retired = true;
                        } else {
                            log.debug("hold {} not renewed yet: {}", hold.id(), thrown.toString());
                        }
                    }
                });
    }

    private void sendCharges(Lane lane, LaneHolds holds, OpenHold hold, List<CallCharge> batch) {
        // The charges of many calls travel together: the hold is what correlates them (each names its request).
        withContext(lane, hold.id(), () -> ledger.charge(lane.companyId(), hold.id(), batch)
                .orTimeout(properties.ledgerTimeout().toNanos(), TimeUnit.NANOSECONDS))
                .whenComplete((result, thrown) -> charged(lane, holds, hold, batch, thrown));
    }

    /** The ledger's answer to a batch of charges; runs on the thread that completed it, so it only takes notes. */
    private void charged(Lane lane, LaneHolds holds, OpenHold hold, List<CallCharge> batch, Throwable thrown) {
        DomainException refusal = Ledger.refusal(thrown);
        synchronized (holds) {
            hold.sending--;
            if (thrown == null) {
                hold.failures = 0;
                undelivered.addAndGet(-batch.size());
            } else if (refusal != null && batch.size() > 1) {
                log.warn("charges of hold {} refused ({}); each is sent again alone", hold.id(), refusal.getMessage());
                hold.alone.addAll(batch);
            } else if (refusal != null) {
                refused.add(new RefusedCharge(lane.companyId(), hold.id(), batch.get(0), refusal.code(),
                        refusal.getMessage(), clock.instant()));
            } else {
                // Sent again after a pause; the ledger skips any that did land.
                hold.failures++;
                Duration delay = backoff(hold.failures);
                hold.retryAt = clock.instant().plus(delay);
                if (hold.failures == 1 || hold.failures % 10 == 0) {
                    log.warn("charges of hold {} not stored yet ({} failures), sent again in {} ms: {}", hold.id(),
                            hold.failures, delay.toMillis(), thrown.toString());
                }
                hold.pending.addAll(0, batch);
            }
        }
    }

    /** Doubles from one flush interval up to {@link #MAX_RETRY_DELAY}. */
    private Duration backoff(int failures) {
        long millis = properties.chargeFlushInterval().toMillis() << Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(Math.max(1, millis), MAX_RETRY_DELAY.toMillis()));
    }

    /** Stores the refused charges as dead letters; one that cannot be stored yet waits for the next tick. */
    private void keepRefused() {
        for (int left = refused.size(); left > 0; left--) {
            RefusedCharge charge = refused.poll();
            if (charge == null) {
                return;
            }
            try {
                deadLetters.keep(charge);
                undelivered.decrementAndGet();
            } catch (RuntimeException notStored) {
                log.warn("refused charge of request {} not kept yet: {}", charge.charge().requestId(),
                        notStored.toString());
                refused.add(charge);
                return;
            }
        }
    }

    private void release(Lane lane, OpenHold hold) {
        withContext(lane, hold.id(), () -> ledger.release(lane.companyId(), hold.id(),
                "the calls drawn from this hold were charged")).whenComplete((result, failure) -> {
                    if (failure != null) {
                        // Not renewed any more, the hold lapses within a lease.
                        log.warn("could not release hold {}: {}", hold.id(), failure.toString());
                    }
                });
    }

    /** The hold correlates what is sent for it; the key and company say who caused it. */
    private static CompletableFuture<?> withContext(Lane lane, String holdId,
                                                    Supplier<CompletableFuture<?>> operation) {
        try (var correlation = MDC.putCloseable(CorrelationKeys.CORRELATION_ID, holdId);
             var actor = MDC.putCloseable(CorrelationKeys.ACTOR, "key:" + lane.keyId());
             var company = MDC.putCloseable(CorrelationKeys.COMPANY_ID, lane.companyId())) {
            return operation.get();
        } catch (RuntimeException failed) {
            return CompletableFuture.failedFuture(failed);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Calls drawn and not yet ended. */
    int callsInFlight() {
        int calls = 0;
        for (LaneHolds holds : lanes.values()) {
            synchronized (holds) {
                calls += holds.callsInFlight();
            }
        }
        return calls;
    }

    /** Charges of ended calls the ledger has not stored yet, refused ones waiting to be kept included. */
    long undeliveredCharges() {
        return undelivered.get();
    }

    /** From now on no call is admitted: this node is shutting down. */
    void stopAdmitting() {
        admitting = false;
    }

    @Override
    public void start() {
        long every = Math.max(1, properties.chargeFlushInterval().toMillis());
        // Two tasks, so that a dead letter waiting for the database never holds up the charges and renewals.
        timer.scheduleWithFixedDelay(() -> guarded(this::flush), every, every, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> guarded(this::keepRefused), every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    /**
     * Charges what is queued and releases every hold before the command bus stops, for at most a lease (after
     * which the holds lapse anyway); a charge still not stored then is logged with everything it says.
     */
    @Override
    public void stop() {
        admitting = false;
        running = false;
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            for (LaneHolds holds : lanes.values()) {
                synchronized (holds) {
                    holds.open.forEach(hold -> hold.retired = true);
                }
            }
            long deadline = System.nanoTime() + properties.holdLease().toNanos();
            while ((!lanes.isEmpty() || !refused.isEmpty()) && System.nanoTime() < deadline) {
                guarded(this::tick);
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logUndelivered();
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("flushing call charges failed", e);
        }
    }

    private void logUndelivered() {
        for (LaneHolds holds : lanes.values()) {
            synchronized (holds) {
                for (OpenHold hold : holds.open) {
                    hold.pending.forEach(charge -> log.error("charge not stored at shutdown, hold {}: {}", hold.id(),
                            charge));
                    hold.alone.forEach(charge -> log.error("charge not stored at shutdown, hold {}: {}", hold.id(),
                            charge));
                }
            }
        }
        refused.forEach(charge -> log.error("refused charge not kept at shutdown: {}", charge));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops after the web server (so every call has ended) and before the command bus and Axon, so the last charges
     * and releases still reach the ledger.
     */
    @Override
    public int getPhase() {
        return SpringAxonConfiguration.LIFECYCLE_PHASE + 768;
    }
}
