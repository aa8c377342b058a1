package dev.aiagg.command.account;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.ChargeAgainstHold;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.ChargeDetails;
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
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static dev.aiagg.command.Refusals.refusedWith;
import static org.assertj.core.api.Assertions.assertThat;

class AccountTest {

    static final String COMPANY = "company-1";
    static final String ACCOUNT = AccountId.of(COMPANY);
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Instant LATER = NOW.plus(Duration.ofMinutes(5));

    final AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);
    final InMemoryClosedReservations closed = new InMemoryClosedReservations();

    @BeforeEach
    void injectClosedReservations() {
        fixture.registerInjectableResource(closed);
    }

    static AccountOpened opened() {
        return new AccountOpened(ACCOUNT, COMPANY, "RUB", 0);
    }

    static TopUpCredited toppedUp(String paymentId, long amount, long balanceAfter) {
        return new TopUpCredited(ACCOUNT, COMPANY, paymentId, amount, balanceAfter);
    }

    static FundsReserved reserved(String requestId, long amount, long balance, long reservedAfter) {
        return new FundsReserved(ACCOUNT, COMPANY, requestId, amount, LATER, balance, reservedAfter, null);
    }

    static ReserveFunds reserve(String requestId, long amount) {
        return new ReserveFunds(ACCOUNT, COMPANY, requestId, amount, LATER, null);
    }

    static SettleReservation settle(String requestId, long cost) {
        return new SettleReservation(ACCOUNT, requestId, cost, "gpt-4o-mini 120+80 tokens", null);
    }

    static ReservationSettled settled(String requestId, long reservedAmount, long cost, long charged,
                                      long balanceAfter, long reservedAfter) {
        return new ReservationSettled(ACCOUNT, COMPANY, requestId, reservedAmount, cost, charged, cost - charged,
                "gpt-4o-mini 120+80 tokens", balanceAfter, reservedAfter, null);
    }

    @Nested
    class OpeningTheAccount {

        @Test
        void theFirstOperationOpensTheAccountWithoutCreditBeforeItsOwnEvent() {
            fixture.givenNoPriorActivity()
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100))
                    .expectEvents(opened(), toppedUp("pay-1", 100, 100));
        }

        @Test
        void anAccountIsOpenedOnlyOnce() {
            fixture.given(opened(), toppedUp("pay-1", 100, 100))
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-2", 50))
                    .expectEvents(toppedUp("pay-2", 50, 150));
        }

        @Test
        void anEmptyNewAccountCannotReserveAndStaysUnopened() {
            fixture.givenCurrentTime(NOW)
                    .when(reserve("req-1", 1))
                    .expectException(InsufficientFundsException.class)
                    .expectNoEvents();
        }

        @Test
        void settlingOnAnAccountThatDoesNotExistIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(settle("req-1", 10))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void releasingOnAnAccountThatDoesNotExistIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new ReleaseReservation(ACCOUNT, "req-1", "client went away"))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void theAccountIdMustBeTheCompanysAccount() {
            fixture.givenNoPriorActivity()
                    .when(new CreditTopUp(AccountId.of("company-2"), COMPANY, "pay-1", 100))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }
    }

    @Nested
    class ReservingFunds {

        @Test
        void holdsFundsThatFitAndReportsTheBalance() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(reserve("req-1", 40))
                    .expectEvents(reserved("req-1", 40, 100, 40));
        }

        @Test
        void mayHoldEverythingThatIsAvailable() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(reserve("req-2", 60))
                    .expectEvents(reserved("req-2", 60, 100, 100));
        }

        @Test
        void refusesAHoldBeyondWhatIsAvailable() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(reserve("req-2", 61))
                    .expectException(InsufficientFundsException.class)
                    .expectExceptionMessage("insufficient funds: requested 61 micro-roubles, available 60")
                    .expectNoEvents();
        }

        @Test
        void refusesAnAmountThatIsNotPositive() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(reserve("req-1", 0))
                    .expectException(refusedWith("invalid_amount"))
                    .expectNoEvents();
        }

        @Test
        void requiresAnExpiryInTheFuture() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-1", 10, null, null))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void aRepeatWhileTheHoldIsOpenChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(reserve("req-1", 40))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRepeatAfterTheRequestWasSettledChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("req-1", 40),
                            settle("req-1", 30))
                    .when(reserve("req-1", 40))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class SettlingAReservation {

        @Test
        void chargesACostBelowTheHoldAndRemovesTheHold() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(settle("req-1", 25))
                    .expectEvents(settled("req-1", 40, 25, 25, 75, 0));
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isTrue();
        }

        @Test
        void chargesACostAboveTheHoldWhileTheAccountCoversIt() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(settle("req-1", 90))
                    .expectEvents(settled("req-1", 40, 90, 90, 10, 0));
        }

        @Test
        void recordsWhatTheAccountCannotCoverAsUncollectedInsteadOfBreakingTheLimit() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40),
                            reserved("req-2", 50, 100, 90))
                    .when(settle("req-1", 200))
                    .expectEvents(settled("req-1", 40, 200, 50, 50, 50));
        }

        @Test
        void aZeroCostChargesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(settle("req-1", 0))
                    .expectEvents(settled("req-1", 40, 0, 0, 100, 0));
        }

        @Test
        void refusesANegativeCost() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(settle("req-1", -1))
                    .expectException(refusedWith("invalid_amount"))
                    .expectNoEvents();
        }

        @Test
        void aRepeatAfterSettlingChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("req-1", 40),
                            settle("req-1", 30))
                    .when(settle("req-1", 30))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anUnknownRequestIsNotFound() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(settle("req-unknown", 10))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class ChargingCallsAgainstAHold {

        CallCharge call(String requestId, long cost) {
            return new CallCharge(requestId, cost, "m via openai/x", null);
        }

        ChargedAgainstHold charged(String requestId, long cost, long fromHold, long debited, long balanceAfter,
                                   long reservedAfter) {
            return new ChargedAgainstHold(ACCOUNT, COMPANY, "hold-1", requestId, cost, fromHold, debited,
                    cost - debited, "m via openai/x", balanceAfter, reservedAfter, null);
        }

        @Test
        void eachCallIsPaidFromTheHoldWhichStaysOpen() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 50, 100, 50))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10), call("req-2", 15))))
                    .expectEvents(charged("req-1", 10, 10, 10, 90, 40), charged("req-2", 15, 15, 15, 75, 25));
            assertThat(closed.closedAmong(ACCOUNT, List.of("req-1", "req-2", "hold-1")))
                    .containsOnlyKeys("req-1", "req-2").containsEntry("req-1", 10L).containsEntry("req-2", 15L);
        }

        @Test
        void whatIsLeftOfTheHoldIsReleasedAtTheEnd() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 50, 100, 50),
                            charged("req-1", 10, 10, 10, 90, 40))
                    .when(new ReleaseReservation(ACCOUNT, "hold-1", "idle"))
                    .expectEvents(new ReservationReleased(ACCOUNT, COMPANY, "hold-1", 40, "idle", 0));
        }

        @Test
        void aCostBeyondTheHoldIsPaidFromTheAvailableBalance() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 20, 100, 20))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 15), call("req-2", 30))))
                    .expectEvents(charged("req-1", 15, 15, 15, 85, 5), charged("req-2", 30, 5, 30, 55, 0));
        }

        @Test
        void aCostTheAccountCannotCoverIsUncollectedInsteadOfBreakingTheLimit() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 20, 100, 20),
                            reserved("req-9", 70, 100, 90))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 50))))
                    .expectEvents(charged("req-1", 50, 20, 30, 70, 70));
        }

        @Test
        void aChargeAlreadyMadeIsSkipped() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("hold-1", 50),
                            new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10))))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10), call("req-2", 5))))
                    .expectEvents(charged("req-2", 5, 5, 5, 85, 35));
        }

        @Test
        void callsOfAHoldThatExpiredMeanwhileAreStillCharged() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 50, 100, 50))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10))))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "hold-1", 50, LATER, 0),
                            charged("req-1", 10, 0, 10, 90, 0));
        }

        @Test
        void callsOfAHoldReleasedMeanwhileAreChargedFromTheBalance() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("hold-1", 50),
                            new ReleaseReservation(ACCOUNT, "hold-1", "idle"))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10))))
                    .expectEvents(charged("req-1", 10, 0, 10, 90, 0));
        }

        @Test
        void whatTheBalanceCannotCoverOfAHoldGoneMeanwhileIsUncollected() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("hold-1", 50),
                            new ReleaseReservation(ACCOUNT, "hold-1", "idle"), reserve("req-9", 80))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 30))))
                    .expectEvents(charged("req-1", 30, 0, 20, 80, 80));
        }

        @Test
        void aRequestChargedBeforeAtAnotherCostIsRefusedWithItsWholeCommand() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("hold-1", 50),
                            new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10))))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-2", 5), call("req-1", 11))))
                    .expectException(refusedWith("charge_conflict"))
                    .expectExceptionMessage("request req-1 was charged 10 micro-roubles before, not 11")
                    .expectNoEvents();
        }

        @Test
        void aRequestChargedBeforeAtAnotherCostIsRefusedEvenOnceItsHoldIsGone() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("hold-1", 50),
                            new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 10))),
                            new ReleaseReservation(ACCOUNT, "hold-1", "idle"))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 0))))
                    .expectException(refusedWith("charge_conflict"))
                    .expectNoEvents();
        }

        @Test
        void chargesCountAgainstTheKeysBudgetInsteadOfTheHold() {
            KeyBudget march = new KeyBudget("key-1", 100, "2026-03");
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000),
                            new FundsReserved(ACCOUNT, COMPANY, "hold-1", 60, LATER, 1_000, 60, march),
                            new ChargedAgainstHold(ACCOUNT, COMPANY, "hold-1", "req-1", 80, 60, 80, 0, "usage", 920,
                                    0, null))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 21, LATER, march))
                    .expectException(KeyBudgetExceededException.class)
                    .expectExceptionMessage("key key-1 would exceed its monthly budget for 2026-03: requested 21 "
                            + "micro-roubles, budget 100, used 80")
                    .expectNoEvents();
        }

        @Test
        void anUnknownHoldIsNotFound() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-unknown", List.of(call("req-1", 10))))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void refusesANegativeCostOrARequestChargedTwiceInOneCommand() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 50, 100, 50))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", -1))))
                    .expectException(refusedWith("invalid_amount"))
                    .expectNoEvents();
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("hold-1", 50, 100, 50))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1", List.of(call("req-1", 1), call("req-1", 2))))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }
    }

    @Nested
    class LeasingAHold {

        final Instant latest = NOW.plus(Duration.ofMinutes(15));

        FundsReserved leased(String requestId, long amount, Instant expiresAt, long balance, long reservedAfter) {
            return new FundsReserved(ACCOUNT, COMPANY, requestId, amount, expiresAt, balance, reservedAfter, null,
                    latest);
        }

        @Test
        void aLeaseIsReservedWithTheLatestExpiryItsRenewalsMayReach() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "hold-1", 50, LATER, null, latest))
                    .expectEvents(leased("hold-1", 50, LATER, 100, 50));
        }

        @Test
        void refusesALeaseWhoseLatestExpiryComesBeforeItsFirst() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "hold-1", 50, LATER, null, LATER.minusMillis(1)))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void aRenewalMovesTheExpiry() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50))
                    .when(new ExtendReservation(ACCOUNT, "hold-1", LATER.plusSeconds(20)))
                    .expectEvents(new ReservationExtended(ACCOUNT, COMPANY, "hold-1", LATER.plusSeconds(20)));
        }

        @Test
        void aRenewalStopsAtTheLatestExpiryOfTheHold() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50))
                    .when(new ExtendReservation(ACCOUNT, "hold-1", latest.plusSeconds(20)))
                    .expectEvents(new ReservationExtended(ACCOUNT, COMPANY, "hold-1", latest));
        }

        @Test
        void aRenewalThatWouldNotMoveTheExpiryLaterChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50))
                    .when(new ExtendReservation(ACCOUNT, "hold-1", LATER))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, latest, 100, 50))
                    .when(new ExtendReservation(ACCOUNT, "hold-1", latest.plusSeconds(20)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRenewedHoldExpiresAtItsNewExpiryNotBefore() {
            Instant renewed = LATER.plusSeconds(20);
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50),
                            new ReservationExtended(ACCOUNT, COMPANY, "hold-1", renewed))
                    .when(new ExpireOverdueReservations(ACCOUNT))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
            fixture.givenCurrentTime(renewed)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50),
                            new ReservationExtended(ACCOUNT, COMPANY, "hold-1", renewed))
                    .when(new ExpireOverdueReservations(ACCOUNT))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "hold-1", 50, renewed, 0));
        }

        @Test
        void aHoldThatLapsedCannotBeRenewedAndTheRefusalAppliesNothing() {
            fixture.givenCurrentTime(LATER)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50))
                    .when(new ExtendReservation(ACCOUNT, "hold-1", LATER.plusSeconds(20)))
                    .expectException(refusedWith("reservation_closed"))
                    .expectNoEvents();
        }

        @Test
        void aReleasedHoldCannotBeRenewed() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100),
                            new ReserveFunds(ACCOUNT, COMPANY, "hold-1", 50, LATER, null, latest),
                            new ReleaseReservation(ACCOUNT, "hold-1", "idle"))
                    .when(new ExtendReservation(ACCOUNT, "hold-1", LATER.plusSeconds(20)))
                    .expectException(refusedWith("reservation_closed"))
                    .expectNoEvents();
        }

        @Test
        void aHoldMadeWithoutALeaseCannotBeRenewed() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 50, 100, 50))
                    .when(new ExtendReservation(ACCOUNT, "req-1", LATER.plusSeconds(20)))
                    .expectException(refusedWith("reservation_not_extendable"))
                    .expectNoEvents();
        }

        @Test
        void anUnknownHoldIsNotFound() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(new ExtendReservation(ACCOUNT, "hold-unknown", LATER))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void whatIsLeftOfARenewedHoldIsChargedAndReleasedAsBefore() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), leased("hold-1", 50, LATER, 100, 50),
                            new ReservationExtended(ACCOUNT, COMPANY, "hold-1", LATER.plusSeconds(20)))
                    .when(new ChargeAgainstHold(ACCOUNT, "hold-1",
                            List.of(new CallCharge("req-1", 10, "m via openai/x", null))))
                    .expectEvents(new ChargedAgainstHold(ACCOUNT, COMPANY, "hold-1", "req-1", 10, 10, 10, 0,
                            "m via openai/x", 90, 40, null));
        }
    }

    @Nested
    class ReleasingAReservation {

        @Test
        void givesTheHoldBackWithoutCharging() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(new ReleaseReservation(ACCOUNT, "req-1", "upstream failed"))
                    .expectEvents(new ReservationReleased(ACCOUNT, COMPANY, "req-1", 40, "upstream failed", 0));
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isTrue();
        }

        @Test
        void aRepeatAfterReleasingChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("req-1", 40),
                            new ReleaseReservation(ACCOUNT, "req-1", "upstream failed"))
                    .when(new ReleaseReservation(ACCOUNT, "req-1", "upstream failed"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void settlingAReleasedRequestChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("req-1", 40),
                            new ReleaseReservation(ACCOUNT, "req-1", "upstream failed"))
                    .when(settle("req-1", 30))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anUnknownRequestIsNotFound() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100))
                    .when(new ReleaseReservation(ACCOUNT, "req-unknown", "upstream failed"))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class ExpiringHolds {

        @Test
        void aHoldPastItsExpiryIsGivenBackBeforeTheNextOperation() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 80, LATER.plusSeconds(60), null))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-1", 60, LATER, 0),
                            new FundsReserved(ACCOUNT, COMPANY, "req-2", 80, LATER.plusSeconds(60), 100, 80, null));
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isTrue();
        }

        @Test
        void severalDueHoldsExpireInTheOrderOfTheirExpiry() {
            Instant earlier = LATER.minusSeconds(30);
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60),
                            new FundsReserved(ACCOUNT, COMPANY, "req-2", 30, earlier, 100, 90, null))
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-2", 10))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-2", 30, earlier, 60),
                            new ReservationExpired(ACCOUNT, COMPANY, "req-1", 60, LATER, 0),
                            toppedUp("pay-2", 10, 110));
        }

        @Test
        void aHoldExpiresAtItsExpiryInstant() {
            fixture.givenCurrentTime(LATER)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-2", 10))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-1", 60, LATER, 0),
                            toppedUp("pay-2", 10, 110));
        }

        @Test
        void aHoldBeforeItsExpiryStays() {
            fixture.givenCurrentTime(LATER.minusMillis(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-2", 10))
                    .expectEvents(toppedUp("pay-2", 10, 110));
        }

        @Test
        void aSettlementAfterExpiryChargesNothing() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(settle("req-1", 30))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-1", 60, LATER, 0));
        }

        @Test
        void aReservationRepeatedAfterExpiryIsNotHeldAgain() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("req-1", 40))
                    .andGivenCurrentTime(LATER.plusSeconds(1))
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-2", 10))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-1", 40, LATER.plusSeconds(60), null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class ExpiringOverdueHoldsOnRequest {

        @Test
        void givesBackEveryOverdueHoldAndNothingElse() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60),
                            new FundsReserved(ACCOUNT, COMPANY, "req-2", 30, LATER.plusSeconds(60), 100, 90, null))
                    .when(new ExpireOverdueReservations(ACCOUNT))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-1", 60, LATER, 30));
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isTrue();
            assertThat(closed.isClosed(ACCOUNT, "req-2")).isFalse();
        }

        @Test
        void doesNothingWhenNoHoldIsDue() {
            fixture.givenCurrentTime(LATER.minusMillis(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new ExpireOverdueReservations(ACCOUNT))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anAccountThatDoesNotExistIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new ExpireOverdueReservations(ACCOUNT))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void aSettlementAfterTheSweepChangesNothing() {
            fixture.givenCurrentTime(NOW)
                    .andGivenCommands(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100), reserve("req-1", 40))
                    .andGivenCurrentTime(LATER)
                    .andGivenCommands(new ExpireOverdueReservations(ACCOUNT))
                    .when(settle("req-1", 30))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class KeyBudgets {

        static final String MARCH = "2026-03";
        static final KeyBudget KEY_1 = new KeyBudget("key-1", 100, MARCH);

        ReserveFunds reserveFor(KeyBudget budget, String requestId, long amount) {
            return new ReserveFunds(ACCOUNT, COMPANY, requestId, amount, LATER, budget);
        }

        FundsReservedBuilder reservedFor(KeyBudget budget) {
            return (requestId, amount, reservedAfter) -> new FundsReserved(ACCOUNT, COMPANY, requestId, amount, LATER,
                    1_000, reservedAfter, budget);
        }

        @Test
        void aHoldWithinTheKeysMonthlyBudgetIsMade() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 60, 60))
                    .when(reserveFor(KEY_1, "req-2", 40))
                    .expectEvents(reservedFor(KEY_1).of("req-2", 40, 100));
        }

        @Test
        void refusesAHoldThatWouldTakeTheKeysMonthOverItsBudget() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 60, 60))
                    .when(reserveFor(KEY_1, "req-2", 41))
                    .expectException(KeyBudgetExceededException.class)
                    .expectException(refusedWith("key_budget_exceeded"))
                    .expectExceptionMessage("key key-1 would exceed its monthly budget for 2026-03: requested 41 "
                            + "micro-roubles, budget 100, used 60")
                    .expectNoEvents();
        }

        @Test
        void chargesCountAgainstTheBudgetInsteadOfTheirHolds() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 60, 60),
                            new ReservationSettled(ACCOUNT, COMPANY, "req-1", 60, 70, 70, 0, "usage", 930, 0, null))
                    .when(reserveFor(KEY_1, "req-2", 31))
                    .expectException(KeyBudgetExceededException.class)
                    .expectExceptionMessage("key key-1 would exceed its monthly budget for 2026-03: requested 31 "
                            + "micro-roubles, budget 100, used 70")
                    .expectNoEvents();
        }

        @Test
        void aSettlementOverTheBudgetIsStillCharged() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 100, 100))
                    .when(settle("req-1", 150))
                    .expectEvents(settled("req-1", 100, 150, 150, 850, 0));
        }

        @Test
        void aReleasedHoldFreesTheBudget() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 100, 100),
                            new ReservationReleased(ACCOUNT, COMPANY, "req-1", 100, "upstream failed", 0))
                    .when(reserveFor(KEY_1, "req-2", 100))
                    .expectEvents(reservedFor(KEY_1).of("req-2", 100, 100));
        }

        @Test
        void anExpiredHoldFreesTheBudgetEvenWhenItExpiresOnTheWay() {
            fixture.givenCurrentTime(LATER)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 100, 100))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 100, LATER.plusSeconds(60), KEY_1))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-1", 100, LATER, 0),
                            new FundsReserved(ACCOUNT, COMPANY, "req-2", 100, LATER.plusSeconds(60), 1_000, 100,
                                    KEY_1));
        }

        @Test
        void theNextMonthStartsFresh() {
            KeyBudget april = new KeyBudget("key-1", 100, "2026-04");
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 100, 100))
                    .when(reserveFor(april, "req-2", 100))
                    .expectEvents(reservedFor(april).of("req-2", 100, 200));
        }

        @Test
        void aHoldOfTheLastMonthSettledInTheNewOneCountsForTheLastMonth() {
            KeyBudget april = new KeyBudget("key-1", 100, "2026-04");
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(KEY_1).of("req-1", 50, 50),
                            reservedFor(april).of("req-2", 60, 110),
                            new ReservationSettled(ACCOUNT, COMPANY, "req-1", 50, 50, 50, 0, "usage", 950, 60, null))
                    .when(reserveFor(april, "req-3", 40))
                    .expectEvents(new FundsReserved(ACCOUNT, COMPANY, "req-3", 40, LATER, 950, 100, april));
        }

        @Test
        void otherKeysAndHoldsWithoutAKeyDoNotCount() {
            KeyBudget key2 = new KeyBudget("key-2", 100, MARCH);
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000), reservedFor(key2).of("req-1", 100, 100),
                            reserved("req-2", 500, 1_000, 600))
                    .when(reserveFor(KEY_1, "req-3", 100))
                    .expectEvents(reservedFor(KEY_1).of("req-3", 100, 700));
        }

        @Test
        void theBudgetIsCheckedBeforeTheFunds() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 50, 50))
                    .when(reserveFor(KEY_1, "req-1", 101))
                    .expectException(KeyBudgetExceededException.class)
                    .expectNoEvents();
        }

        @Test
        void refusesABudgetWithoutAKeyAMonthOrAPositiveAmount() {
            for (KeyBudget budget : List.of(new KeyBudget(" ", 100, MARCH),
                    new KeyBudget("key-1", 100, "2026-3"), new KeyBudget("key-1", 100, "2026-13"),
                    new KeyBudget("key-1", 0, MARCH))) {
                fixture.givenCurrentTime(NOW)
                        .andGiven(opened(), toppedUp("pay-1", 1_000, 1_000))
                        .when(reserveFor(budget, "req-1", 10))
                        .expectException(DomainException.class)
                        .expectNoEvents();
            }
        }
    }

    @FunctionalInterface
    interface FundsReservedBuilder {
        FundsReserved of(String requestId, long amount, long reservedAfter);
    }

    @Nested
    class CarryingChargeDetails {

        @Test
        void aSettlementCarriesItsDetailsIntoTheEvent() {
            ChargeDetails details = new ChargeDetails("key-1", "gpt-4o-mini", "openai/gpt-4o-mini", 1_200, 200, 350,
                    0, false, false, 3, new BigDecimal("92.5"), LocalDate.parse("2026-03-01"), 812, "ok");
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100_000, 100_000), reserved("req-1", 50_000, 100_000, 50_000))
                    .when(new SettleReservation(ACCOUNT, "req-1", 41_625, "gpt-4o-mini 1200+350 tokens", details))
                    .expectEvents(new ReservationSettled(ACCOUNT, COMPANY, "req-1", 50_000, 41_625, 41_625, 0,
                            "gpt-4o-mini 1200+350 tokens", 58_375, 0, details));
        }
    }

    /** Commands are committed in groups, so a refused command must leave nothing behind for the others. */
    @Nested
    class RefusingAnOperation {

        @Test
        void givesNoHoldBackWhenTheReservationItMadeRoomForIsRefused() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 101, LATER.plusSeconds(60), null))
                    .expectException(InsufficientFundsException.class)
                    .expectExceptionMessage("insufficient funds: requested 101 micro-roubles, available 100")
                    .expectNoEvents();
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isFalse();
        }

        @Test
        void givesNoHoldBackWhenASettlementIsNotFound() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(settle("req-unknown", 10))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isFalse();
        }

        @Test
        void givesNoHoldBackWhenADebitIsRefused() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", -101, "chargeback", "op-1"))
                    .expectException(InsufficientFundsException.class)
                    .expectNoEvents();
        }

        @Test
        void givesNoHoldBackWhenATopUpIsTooLargeToCredit() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", Long.MAX_VALUE, Long.MAX_VALUE),
                            reserved("req-1", 60, Long.MAX_VALUE, 60))
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-2", 1))
                    .expectException(refusedWith("invalid_amount"))
                    .expectNoEvents();
        }
    }

    @Nested
    class CreditingATopUp {

        @Test
        void aRepeatedPaymentIsCreditedOnce() {
            fixture.given(opened(), toppedUp("pay-1", 100, 100))
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void refusesAnAmountThatIsNotPositive() {
            fixture.given(opened())
                    .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", -5))
                    .expectException(refusedWith("invalid_amount"))
                    .expectNoEvents();
        }
    }

    @Nested
    class AdjustingTheBalance {

        @Test
        void creditsAPositiveAdjustment() {
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1"))
                    .expectEvents(new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500))
                    .expectResultMessagePayload(500L);
        }

        @Test
        void debitsANegativeAdjustmentThatKeepsTheInvariant() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", -60, "chargeback", "op-1"))
                    .expectEvents(new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", -60, "chargeback", "op-1", 40));
        }

        @Test
        void refusesANegativeAdjustmentBeyondWhatIsAvailable() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", -61, "chargeback", "op-1"))
                    .expectException(InsufficientFundsException.class)
                    .expectNoEvents();
        }

        @Test
        void refusesAZeroAdjustment() {
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 0, "nothing", "op-1"))
                    .expectException(refusedWith("invalid_amount"))
                    .expectNoEvents();
        }

        @Test
        void requiresAReason() {
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 10, " ", "op-1"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void requiresAnOperator() {
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 10, "goodwill", null))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void refusesAReasonWithControlOrBidiCharacters() {
            for (String reason : List.of("good\u0000will", "line\nbreak", "c1\u009b", "\u202egoodwill", "goodwill ")) {
                fixture.given(opened())
                        .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 10, reason, "op-1"))
                        .expectException(refusedWith("invalid_input"))
                        .expectNoEvents();
            }
        }

        @Test
        void refusesAnAdjustmentIdOrOperatorWithAControlCharacter() {
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj\u00001", 10, "goodwill", "op-1"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 10, "goodwill", "op\u0000"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void takesAReasonInCyrillic() {
            fixture.given(opened())
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 500, "Возврат: двойное списание", "op-1"))
                    .expectEvents(new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "Возврат: двойное списание",
                            "op-1", 500));
        }

        @Test
        void aRepeatedAdjustmentIsAppliedOnceAndAnsweredAsTheFirst() {
            fixture.given(opened(), new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500),
                            toppedUp("pay-1", 100, 600))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(500L);
        }

        @Test
        void aRepeatByAnotherOperatorIsStillTheSameAdjustment() {
            fixture.given(opened(), new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-2"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void theSameIdWithAnotherAmountIsRefused() {
            fixture.given(opened(), new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 501, "goodwill", "op-1"))
                    .expectException(refusedWith("idempotency_key_reused"))
                    .expectNoEvents();
        }

        @Test
        void theSameIdWithAnotherReasonIsRefused() {
            fixture.given(opened(), new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 500, "refund", "op-1"))
                    .expectException(refusedWith("idempotency_key_reused"))
                    .expectNoEvents();
        }

        @Test
        void aRefusedRepeatLeavesDueHoldsForTheNextOperation() {
            fixture.givenCurrentTime(NOW)
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 40, 100, 40),
                            new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 5, "goodwill", "op-1", 105))
                    .andGivenCurrentTime(LATER)
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 6, "goodwill", "op-1"))
                    .expectException(refusedWith("idempotency_key_reused"))
                    .expectNoEvents();
        }
    }
}
