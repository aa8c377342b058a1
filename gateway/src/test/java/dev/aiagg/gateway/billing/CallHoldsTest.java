package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.InsufficientFundsException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The billing engine against a ledger in memory and a clock the test moves: nothing runs on its own, every flush is
 * the test's.
 */
class CallHoldsTest {

    static final Duration LEASE = Duration.ofSeconds(20);
    static final Duration LIFETIME = Duration.ofMinutes(15);
    static final Duration CALL_LIMIT = Duration.ofMinutes(10);
    static final Duration FLUSH = Duration.ofMillis(100);

    final FakeClock clock = new FakeClock(Instant.parse("2026-03-01T12:00:00Z"));
    final FakeLedger ledger = new FakeLedger();
    final FakeDeadLetters deadLetters = new FakeDeadLetters();
    CallHolds holds = engine(4, 1_000);

    CallHolds engine(int holdCalls, int maxUndelivered) {
        return engine(holdCalls, maxUndelivered, LEASE);
    }

    CallHolds engine(int holdCalls, int maxUndelivered, Duration lease) {
        BillingProperties properties = new BillingProperties(lease, LIFETIME, holdCalls, Duration.ofSeconds(2), FLUSH,
                maxUndelivered, Duration.ofSeconds(1), BigDecimal.ONE, LocalDate.parse("2026-03-01"),
                BigDecimal.ZERO);
        return new CallHolds(ledger, deadLetters, properties, CALL_LIMIT, clock,
                Executors.newSingleThreadScheduledExecutor());
    }

    CallHolds.Draw draw(long maxCost) {
        return holds.draw("cmp_1", "key_1", null, maxCost);
    }

    static CallCharge charge(String requestId, long cost) {
        return new CallCharge(requestId, cost, "m via openai/x", null);
    }

    /** Flushes as the timer would, every flush interval, for this long. */
    void run(Duration duration) {
        for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plus(FLUSH)) {
            clock.advance(FLUSH);
            holds.tick();
        }
    }

    /** As {@link #run}, with a call of the key every second, so that its hold is never idle. */
    void runBusy(Duration duration) {
        for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(1)) {
            run(Duration.ofSeconds(1));
            holds.giveBack(draw(1));
        }
    }

    @Nested
    class Drawing {

        @Test
        void aKeysFirstCallReservesAHoldForManyCallsLeasedAndRenewableUpToItsLifetime() {
            CallHolds.Draw first = draw(100);

            assertThat(ledger.reservations).singleElement().satisfies(hold -> {
                assertThat(hold.amountMicros()).isEqualTo(400);
                assertThat(hold.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
                assertThat(hold.extendableUntil()).isEqualTo(clock.instant().plus(LIFETIME));
            });
            assertThat(first.hold().id()).isEqualTo(ledger.reservations.get(0).holdId());
        }

        @Test
        void theNextCallsDrawFromTheSameHoldUntilItIsFull() {
            List<CallHolds.Draw> draws = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                draws.add(draw(100));
            }
            assertThat(ledger.reservations).hasSize(1);
            assertThat(draws).extracting(d -> d.hold().id()).containsOnly(draws.get(0).hold().id());

            draw(100);

            assertThat(ledger.reservations).hasSize(2);
            assertThat(ledger.reservations.get(1).amountMicros()).as("twice the calls in flight, and one")
                    .isEqualTo(900);
        }

        @Test
        void whatACallDidNotUseGoesBackToItsHold() {
            holds.charge(draw(100), charge("req_1", 30));
            for (int i = 0; i < 3; i++) {
                draw(100);
            }

            assertThat(ledger.reservations).as("400 - 30 covers three more calls of 100").hasSize(1);
        }

        @Test
        void aCallTheBalanceCannotCoverIsRefusedWhileOneItCanGetsWhatIsLeft() {
            ledger.availableMicros = 150;

            CallHolds.Draw covered = draw(100);

            assertThat(ledger.reservations).singleElement().extracting(FakeLedger.Reservation::amountMicros)
                    .isEqualTo(150L);
            assertThatThrownBy(() -> draw(100)).isInstanceOf(InsufficientFundsException.class);
            assertThat(covered.maxCostMicros()).isEqualTo(100);
        }

        @Test
        void aLedgerThatCannotBeReachedIsA503NotAHang() {
            ledger.down = true;

            assertThatThrownBy(() -> draw(100)).isInstanceOf(BillingUnavailableException.class);
        }
    }

    @Nested
    class Refilling {

        @Test
        void aBusyKeyGetsItsNextHoldBeforeTheOpenOnesRunOut() {
            for (int i = 0; i < 3; i++) {
                draw(100);
            }

            run(FLUSH);

            assertThat(ledger.reservations).hasSize(2);
            assertThat(ledger.reservations.get(1).amountMicros()).isEqualTo(700);
            for (int i = 0; i < 8; i++) {
                draw(100);
            }
            assertThat(ledger.reservations).as("the calls found room without waiting for the ledger").hasSize(2);
        }

        @Test
        void aKeyThatStoppedCallingGetsNoMoreHolds() {
            for (int i = 0; i < 3; i++) {
                draw(100);
            }
            clock.advance(Duration.ofSeconds(1));

            holds.tick();

            assertThat(ledger.reservations).hasSize(1);
        }
    }

    @Nested
    class Releasing {

        @Test
        void anIdleHoldIsReleasedOnceItsCallsAreCharged() {
            holds.charge(draw(100), charge("req_1", 30));

            run(Duration.ofMillis(1_900));
            assertThat(ledger.charged).containsEntry("req_1", 30L);
            assertThat(ledger.released).isEmpty();

            run(Duration.ofMillis(200));
            assertThat(ledger.released).containsExactly(ledger.reservations.get(0).holdId());
        }

        @Test
        void aHoldWithACallInFlightIsNotReleasedHoweverIdle() {
            CallHolds.Draw running = draw(100);

            run(Duration.ofSeconds(30));
            assertThat(ledger.released).isEmpty();

            holds.charge(running, charge("req_1", 90));
            run(Duration.ofMillis(300));
            assertThat(ledger.charged).containsEntry("req_1", 90L);
            assertThat(ledger.released).hasSize(1);
        }
    }

    @Nested
    class Leasing {

        @Test
        void aHoldIsRenewedWhenHalfItsLeaseIsLeft() {
            draw(100);
            String hold = ledger.reservations.get(0).holdId();

            run(Duration.ofMillis(9_900));
            assertThat(ledger.extensions).isEmpty();

            run(FLUSH);
            assertThat(ledger.extensions).singleElement()
                    .isEqualTo(new FakeLedger.Extension(hold, clock.instant().plus(LEASE)));
        }

        @Test
        void aCallInFlightKeepsItsHoldRenewedToTheEnd() {
            CallHolds.Draw running = draw(100);

            run(Duration.ofMinutes(9));

            assertThat(ledger.openHolds()).containsExactly(running.hold().id());
            assertThat(ledger.extensions.get(ledger.extensions.size() - 1).expiresAt())
                    .isAfter(clock.instant().plus(LEASE.dividedBy(2)));
        }

        @Test
        void aHoldTakesNewCallsOnlyWhileAWholeCallAndALeaseFitBeforeItsLastExpiry() {
            CallHolds.Draw first = draw(100);
            Instant drawUntil = clock.instant().plus(LIFETIME).minus(CALL_LIMIT).minus(LEASE);
            runBusy(Duration.between(clock.instant(), drawUntil).minusSeconds(1));
            run(Duration.ofMillis(900));
            CallHolds.Draw still = draw(100);
            assertThat(still.hold()).isSameAs(first.hold());

            run(FLUSH);
            CallHolds.Draw next = draw(100);

            assertThat(next.hold()).isNotSameAs(first.hold());
            assertThat(ledger.reservations).hasSize(2);
            holds.charge(first, charge("req_1", 10));
            holds.charge(still, charge("req_2", 10));
            run(Duration.ofMillis(300));
            assertThat(ledger.released).as("charged, the old hold is given back").containsExactly(first.hold().id());
        }

        @Test
        void noRenewalGoesBeyondTheHoldsLifetime() {
            CallHolds.Draw running = draw(100);
            Instant last = ledger.reservations.get(0).extendableUntil();

            run(LIFETIME.plusMinutes(1));

            assertThat(ledger.extensions).isNotEmpty().allSatisfy(e -> assertThat(e.expiresAt()).isBeforeOrEqualTo(last));
            assertThat(ledger.extensions.get(ledger.extensions.size() - 1).expiresAt()).isEqualTo(last);
            assertThat(running.hold().id()).isEqualTo(ledger.reservations.get(0).holdId());
        }

        @Test
        void aHoldWhoseRenewalsFailStopsTakingCallsBeforeItsLeaseEnds() {
            CallHolds.Draw first = draw(100);
            ledger.renewalsFail = true;

            runBusy(Duration.ofSeconds(14));
            assertThat(draw(100).hold()).isSameAs(first.hold());

            runBusy(Duration.ofSeconds(2));
            assertThat(draw(100).hold()).as("less than a quarter of a lease left").isNotSameAs(first.hold());
        }

        @Test
        void aHoldTheLedgerLetExpireTakesNoMoreCallsAndItsCallsAreStillCharged() {
            CallHolds.Draw running = draw(100);
            ledger.expire(running.hold().id());

            run(Duration.ofSeconds(10));
            CallHolds.Draw next = draw(100);
            holds.charge(running, charge("req_1", 40));
            run(Duration.ofMillis(300));

            assertThat(next.hold()).isNotSameAs(running.hold());
            assertThat(ledger.charged).containsEntry("req_1", 40L);
            assertThat(ledger.holdOfCharge).containsEntry("req_1", running.hold().id());
        }
    }

    @Nested
    class Flushing {

        @Test
        void theChargesOfAHoldGoInBatchesOfAtMostFiveHundredOneAtATime() {
            holds = engine(2_000, 10_000);
            for (int i = 0; i < 1_200; i++) {
                holds.charge(draw(1), charge("req_" + i, 1));
            }

            run(FLUSH.multipliedBy(3));

            assertThat(ledger.chargeCommands).extracting(List::size).containsExactly(500, 500, 200);
            assertThat(ledger.charged).hasSize(1_200);
            assertThat(holds.undeliveredCharges()).isZero();
        }

        @Test
        void chargesTheLedgerCouldNotStoreAreSentAgainWithBackoffAndLandOnce() {
            CallHolds.Draw first = draw(100);
            CallHolds.Draw second = draw(100);
            ledger.down = true;
            holds.charge(first, charge("req_1", 10));
            holds.charge(second, charge("req_2", 20));
            holds.tick();
            assertThat(holds.undeliveredCharges()).isEqualTo(2);

            ledger.down = false;
            ledger.loseNextAnswer = true;
            holds.tick();
            assertThat(ledger.chargeCommands).as("not before the pause").isEmpty();
            clock.advance(FLUSH);
            holds.tick();
            assertThat(ledger.chargeCommands).hasSize(1);
            assertThat(holds.undeliveredCharges()).as("stored, but the answer was lost").isEqualTo(2);

            clock.advance(FLUSH);
            holds.tick();
            assertThat(ledger.chargeCommands).as("the pause doubles").hasSize(1);
            clock.advance(FLUSH);
            holds.tick();

            assertThat(ledger.chargeCommands).hasSize(2);
            assertThat(ledger.charged).containsOnly(java.util.Map.entry("req_1", 10L), java.util.Map.entry("req_2", 20L));
            assertThat(holds.undeliveredCharges()).isZero();
        }

        @Test
        void chargesWaitAsLongAsTheLedgerIsDownAndAreDeliveredWhenItReturns() {
            List<CallHolds.Draw> draws = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                draws.add(draw(10));
            }
            ledger.down = true;
            for (int i = 0; i < 10; i++) {
                holds.charge(draws.get(i), charge("req_" + i, 5));
            }

            run(Duration.ofMinutes(2));
            assertThat(holds.undeliveredCharges()).isEqualTo(10);

            ledger.down = false;
            run(Duration.ofSeconds(6));

            assertThat(ledger.charged).hasSize(10);
            assertThat(holds.undeliveredCharges()).isZero();
        }
    }

    @Nested
    class Refusals {

        @Test
        void aRefusedBatchIsSentAgainChargeByChargeAndOnlyTheRefusedOneIsDeadLettered() {
            CallHolds.Draw hold = draw(10);
            holds.charge(hold, charge("req_1", 3));
            run(FLUSH);
            CallHolds.Draw more = draw(10);
            holds.charge(more, charge("req_2", 4));
            holds.charge(draw(10), charge("req_1", 5));
            holds.charge(draw(10), charge("req_3", 6));

            run(FLUSH);
            assertThat(ledger.chargeCommands.get(1)).containsExactly("req_2", "req_1", "req_3");
            run(FLUSH.multipliedBy(2));

            assertThat(ledger.charged).containsOnlyKeys("req_1", "req_2", "req_3").containsEntry("req_1", 3L);
            assertThat(deadLetters.kept).singleElement().satisfies(letter -> {
                assertThat(letter.charge()).isEqualTo(charge("req_1", 5));
                assertThat(letter.code()).isEqualTo("charge_conflict");
                assertThat(letter.holdId()).isEqualTo(hold.hold().id());
                assertThat(letter.companyId()).isEqualTo("cmp_1");
            });
            assertThat(holds.undeliveredCharges()).isZero();
        }

        @Test
        void aRefusedChargeWaitsForTheDeadLetterStoreAndIsCountedAsUndeliveredMeanwhile() {
            holds.charge(draw(10), charge("req_1", 3));
            run(FLUSH);
            holds.charge(draw(10), charge("req_1", 4));
            deadLetters.down = true;

            run(Duration.ofSeconds(1));
            assertThat(deadLetters.kept).isEmpty();
            assertThat(holds.undeliveredCharges()).isEqualTo(1);

            deadLetters.down = false;
            run(FLUSH);
            assertThat(deadLetters.kept).hasSize(1);
            assertThat(holds.undeliveredCharges()).isZero();
        }
    }

    @Nested
    class Admitting {

        @Test
        void aNodeWithTooManyChargesWaitingForTheLedgerAdmitsNoCallUntilTheyAreDelivered() {
            holds = engine(4, 3);
            List<CallHolds.Draw> draws = List.of(draw(10), draw(10), draw(10));
            ledger.down = true;
            for (int i = 0; i < 3; i++) {
                holds.charge(draws.get(i), charge("req_" + i, 1));
                holds.tick();
            }

            assertThat(holds.undeliveredCharges()).isEqualTo(3);
            assertThatThrownBy(() -> draw(10)).isInstanceOf(BillingUnavailableException.class)
                    .satisfies(e -> assertThat(((BillingUnavailableException) e).retryAfter()).isPositive());

            ledger.down = false;
            run(Duration.ofSeconds(1));
            assertThat(ledger.charged).hasSize(3);
            draw(10);
        }

        @Test
        void aNodeShuttingDownAdmitsNoCall() {
            holds.stopAdmitting();

            assertThatThrownBy(() -> draw(10)).isInstanceOf(BillingUnavailableException.class)
                    .hasMessageContaining("shutting down");
        }
    }

    @Nested
    class ShuttingDown {

        @Test
        void everyChargeIsSentAndEveryHoldReleasedBeforeItStops() {
            for (int i = 0; i < 5; i++) {
                holds.charge(draw(100), charge("req_" + i, 10));
            }
            CallHolds.Draw idle = draw(100);
            holds.giveBack(idle);

            holds.stop();

            assertThat(ledger.charged).hasSize(5);
            assertThat(ledger.openHolds()).isEmpty();
            assertThat(ledger.released).hasSize(ledger.reservations.size());
            assertThat(holds.undeliveredCharges()).isZero();
            assertThatThrownBy(() -> draw(10)).isInstanceOf(BillingUnavailableException.class);
        }

        @Test
        void aLedgerThatIsDownDelaysTheStopByALeaseAtMost() {
            holds = engine(4, 1_000, Duration.ofMillis(300));
            holds.charge(draw(100), charge("req_1", 10));
            ledger.down = true;

            long start = System.nanoTime();
            holds.stop();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(holds.undeliveredCharges()).isEqualTo(1);
        }
    }

    /** Keeps the refused charges in memory; can be down. */
    static final class FakeDeadLetters implements ChargeDeadLetters {

        final List<RefusedCharge> kept = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void keep(RefusedCharge refused) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            kept.add(refused);
        }
    }

    /** A clock that moves only when told. */
    static final class FakeClock extends Clock {

        private volatile Instant now;

        FakeClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
