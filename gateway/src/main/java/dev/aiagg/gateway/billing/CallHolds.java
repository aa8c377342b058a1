package dev.aiagg.gateway.billing;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargeAgainstHold;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.account.ReleaseReservation;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.axon.correlation.CorrelationKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.spring.config.SpringAxonConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The holds this node's calls are paid from. A durable reservation before every call would put a database commit
 * in front of each answer; instead an API key's calls draw their maximum cost from a hold reserved in the ledger for
 * many calls at once ({@code aiagg.llm.hold-calls} times the call's maximum, or what the balance and the key's budget
 * still allow). A call that ends gives back what it did not use, and its exact charge is queued; every
 * {@code aiagg.llm.charge-flush-interval} the queued charges of a hold go to the ledger in one
 * {@link ChargeAgainstHold}. A hold no call has drawn from for {@code aiagg.llm.hold-idle}, or older than half the
 * reservation's lifetime, takes no more calls and is released once its calls are charged.
 *
 * <p>No company spends past its limit: every call is covered by a hold the ledger granted before the call was made.
 * Charges are idempotent by request id. Should the node die, the charges not yet flushed (at most one flush interval
 * of them) are lost with it and its holds expire by their deadline.
 */
@Component
class CallHolds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallHolds.class);
    private static final int MAX_CHARGES_PER_COMMAND = 500;

    private final CommandGateway commands;
    private final BillingProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final ConcurrentHashMap<Lane, LaneHolds> lanes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "llm-charges");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    CallHolds(CommandGateway commands, BillingProperties properties) {
        this.commands = commands;
        this.properties = properties;
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
        private final Instant openedAt;
        private long committedMicros;
        private int callsInFlight;
        private Instant lastDrawnAt;
        private boolean retired;
        private boolean flushing;
        private final List<CallCharge> pending = new ArrayList<>();

        private OpenHold(LaneHolds lane, String id, long amountMicros, Instant openedAt) {
            this.lane = lane;
            this.id = id;
            this.amountMicros = amountMicros;
            this.openedAt = openedAt;
            this.lastDrawnAt = openedAt;
        }

        String id() {
            return id;
        }

        private long freeMicros() {
            return amountMicros - committedMicros;
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
        private long secondStartedNanos = System.nanoTime();
        private long spentThisSecondMicros;
        private long spentLastSecondMicros;

        private void spent(long micros) {
            roll();
            spentThisSecondMicros += micros;
        }

        private long spentPerSecondMicros() {
            roll();
            return Math.max(spentThisSecondMicros, spentLastSecondMicros);
        }

        private void roll() {
            long elapsed = System.nanoTime() - secondStartedNanos;
            if (elapsed >= 1_000_000_000L) {
                spentLastSecondMicros = elapsed < 2_000_000_000L ? spentThisSecondMicros : 0;
                spentThisSecondMicros = 0;
                secondStartedNanos = System.nanoTime();
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
     * @throws KeyBudgetExceededException when the key's monthly budget cannot
     */
    Draw draw(String companyId, String keyId, Long monthlyBudgetMicros, long maxCostMicros) {
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
                        return take(hold, maxCostMicros);
                    }
                }
            } finally {
                synchronized (holds) {
                    holds.reserving--;
                }
            }
        }
    }

    private Draw drawFromOpen(LaneHolds holds, long maxCostMicros) {
        for (OpenHold hold : holds.open) {
            if (!hold.retired && hold.freeMicros() >= maxCostMicros) {
                return take(hold, maxCostMicros);
            }
        }
        return null;
    }

    /** The call ended and costs {@code charge.costMicros()}: what it did not use goes back to the hold. */
    void charge(Draw draw, CallCharge charge) {
        synchronized (draw.hold().lane) {
            OpenHold hold = draw.hold();
            hold.committedMicros += charge.costMicros() - draw.maxCostMicros();
            hold.callsInFlight--;
            hold.pending.add(charge);
            hold.lane.spent(charge.costMicros());
        }
    }

    /** The call ended without costing anything. */
    void giveBack(Draw draw) {
        synchronized (draw.hold().lane) {
            draw.hold().committedMicros -= draw.maxCostMicros();
            draw.hold().callsInFlight--;
        }
    }

    private Draw take(OpenHold hold, long maxCostMicros) {
        hold.committedMicros += maxCostMicros;
        hold.callsInFlight++;
        hold.lastDrawnAt = clock.instant();
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
        return Math.max(byCalls, multiplyCapped(holds.spentPerSecondMicros(), 2));
    }

    /**
     * Reserves the amount; when the balance or the key's budget allows less, whatever they allow, as long as it
     * covers this call.
     */
    private OpenHold reserve(LaneHolds holds, Lane lane, long maxCostMicros, long amount) {
        Instant now = clock.instant();
        String holdId = newHoldId();
        while (true) {
            try {
                commands.sendAndWait(new ReserveFunds(AccountId.of(lane.companyId()), lane.companyId(), holdId,
                        amount, now.plus(properties.reservationTtl()), lane.keyBudget()));
                return new OpenHold(holds, holdId, amount, now);
            } catch (InsufficientFundsException refused) {
                amount = smallerOrRethrow(amount, refused.availableMicros(), maxCostMicros, refused);
            } catch (KeyBudgetExceededException refused) {
                amount = smallerOrRethrow(amount, refused.budgetMicros() - refused.usedMicros(), maxCostMicros,
                        refused);
            }
        }
    }

    /**
     * A busy key gets its next hold before the open ones run out, so its calls do not wait for the ledger. Should
     * the ledger refuse, the next call that finds no room reserves what is left, or is refused.
     */
    private void refill(Lane lane, LaneHolds holds, long amount) {
        Instant now = clock.instant();
        String holdId = newHoldId();
        commands.send(new ReserveFunds(AccountId.of(lane.companyId()), lane.companyId(), holdId, amount,
                now.plus(properties.reservationTtl()), lane.keyBudget())).whenComplete((result, failure) -> {
                    synchronized (holds) {
                        holds.reserving--;
                        if (failure == null) {
                            holds.open.add(new OpenHold(holds, holdId, amount, now));
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

    /** Sends the queued charges of every hold, and releases the holds that are done. */
    void flush() {
        Instant now = clock.instant();
        for (var lane : lanes.entrySet()) {
            LaneHolds holds = lane.getValue();
            List<Runnable> sends = new ArrayList<>();
            synchronized (holds) {
                for (OpenHold hold : List.copyOf(holds.open)) {
                    if (hold.flushing) {
                        continue;
                    }
                    if (!hold.pending.isEmpty()) {
                        List<CallCharge> batch = takeBatch(hold);
                        hold.flushing = true;
                        sends.add(() -> sendCharges(lane.getKey(), holds, hold, batch));
                    } else if (due(hold, now)) {
                        hold.retired = true;
                        if (hold.callsInFlight == 0) {
                            holds.open.remove(hold);
                            sends.add(() -> release(lane.getKey(), hold));
                        }
                    }
                }
                if (holds.reserving == 0 && holds.lastMaxCostMicros > 0
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

    private boolean due(OpenHold hold, Instant now) {
        return hold.retired
                || !hold.lastDrawnAt.plus(properties.holdIdle()).isAfter(now)
                || !hold.openedAt.plus(properties.reservationTtl().dividedBy(2)).isAfter(now);
    }

    private static List<CallCharge> takeBatch(OpenHold hold) {
        int size = Math.min(MAX_CHARGES_PER_COMMAND, hold.pending.size());
        List<CallCharge> batch = new ArrayList<>(hold.pending.subList(0, size));
        hold.pending.subList(0, size).clear();
        return batch;
    }

    private void sendCharges(Lane lane, LaneHolds holds, OpenHold hold, List<CallCharge> batch) {
        // The charges of many calls travel together: the hold is what correlates them (each names its request).
        try (var correlation = MDC.putCloseable(CorrelationKeys.CORRELATION_ID, hold.id());
             var actor = MDC.putCloseable(CorrelationKeys.ACTOR, "key:" + lane.keyId());
             var company = MDC.putCloseable(CorrelationKeys.COMPANY_ID, lane.companyId())) {
            send(new ChargeAgainstHold(AccountId.of(lane.companyId()), hold.id(), batch), holds, hold, batch);
        }
    }

    private void send(ChargeAgainstHold charges, LaneHolds holds, OpenHold hold, List<CallCharge> batch) {
        commands.send(charges).whenComplete((result, thrown) -> {
            Throwable failure = thrown instanceof CompletionException wrapped ? wrapped.getCause() : thrown;
            synchronized (holds) {
                hold.flushing = false;
                if (failure instanceof DomainException refused) {
                    // Refused by the ledger's rules, it would be refused again: the log names the calls.
                    log.error("charges of hold {} refused, requests {}: {}", hold.id(),
                            batch.stream().map(CallCharge::requestId).toList(), refused.getMessage());
                } else if (failure != null) {
                    // Sent again with the next flush; the ledger skips any that did land.
                    log.warn("charges of hold {} not stored yet, will retry: {}", hold.id(), failure.toString());
                    hold.pending.addAll(0, batch);
                }
            }
        });
    }

    private void release(Lane lane, OpenHold hold) {
        try (var correlation = MDC.putCloseable(CorrelationKeys.CORRELATION_ID, hold.id());
             var actor = MDC.putCloseable(CorrelationKeys.ACTOR, "key:" + lane.keyId());
             var company = MDC.putCloseable(CorrelationKeys.COMPANY_ID, lane.companyId())) {
            sendRelease(lane, hold);
        }
    }

    private void sendRelease(Lane lane, OpenHold hold) {
        commands.send(new ReleaseReservation(AccountId.of(lane.companyId()), hold.id(),
                "the calls drawn from this hold were charged")).whenComplete((result, failure) -> {
                    if (failure != null) {
                        // The hold stays until its deadline; the expiry sweep gives it back then.
                        log.error("could not release hold {}", hold.id(), failure);
                    }
                });
    }

    @Override
    public void start() {
        long every = Math.max(1, properties.chargeFlushInterval().toMillis());
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                log.error("flushing call charges failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Charges what is queued and releases the idle holds before the command bus stops. */
    @Override
    public void stop() {
        running = false;
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (LaneHolds holds : lanes.values()) {
                synchronized (holds) {
                    holds.open.forEach(hold -> hold.retired = true);
                }
            }
            while (!lanes.isEmpty() && System.nanoTime() < deadline) {
                flush();
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before Axon does, so the last charges still reach the ledger. */
    @Override
    public int getPhase() {
        return SpringAxonConfiguration.LIFECYCLE_PHASE + 512;
    }
}
