package dev.aiagg.command.account;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.CreditTopUp;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.ReleaseReservation;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.api.account.TopUpCredited;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

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
        return new FundsReserved(ACCOUNT, COMPANY, requestId, amount, LATER, balance, reservedAfter);
    }

    static ReserveFunds reserve(String requestId, long amount) {
        return new ReserveFunds(ACCOUNT, COMPANY, requestId, amount, LATER);
    }

    static SettleReservation settle(String requestId, long cost) {
        return new SettleReservation(ACCOUNT, requestId, cost, "gpt-4o-mini 120+80 tokens");
    }

    static ReservationSettled settled(String requestId, long reservedAmount, long cost, long charged,
                                      long balanceAfter, long reservedAfter) {
        return new ReservationSettled(ACCOUNT, COMPANY, requestId, reservedAmount, cost, charged, cost - charged,
                "gpt-4o-mini 120+80 tokens", balanceAfter, reservedAfter);
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
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-1", 10, null))
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
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 80, LATER.plusSeconds(60)))
                    .expectEvents(new ReservationExpired(ACCOUNT, COMPANY, "req-1", 60, LATER, 0),
                            new FundsReserved(ACCOUNT, COMPANY, "req-2", 80, LATER.plusSeconds(60), 100, 80));
            assertThat(closed.isClosed(ACCOUNT, "req-1")).isTrue();
        }

        @Test
        void severalDueHoldsExpireInTheOrderOfTheirExpiry() {
            Instant earlier = LATER.minusSeconds(30);
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60),
                            new FundsReserved(ACCOUNT, COMPANY, "req-2", 30, earlier, 100, 90))
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
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-1", 40, LATER.plusSeconds(60)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    /** Commands are committed in groups, so a refused command must leave nothing behind for the others. */
    @Nested
    class RefusingAnOperation {

        @Test
        void givesNoHoldBackWhenTheReservationItMadeRoomForIsRefused() {
            fixture.givenCurrentTime(LATER.plusSeconds(1))
                    .andGiven(opened(), toppedUp("pay-1", 100, 100), reserved("req-1", 60, 100, 60))
                    .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 101, LATER.plusSeconds(60)))
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
                    .expectEvents(new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500));
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
        void aRepeatedAdjustmentIsAppliedOnce() {
            fixture.given(opened(), new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1", 500))
                    .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 500, "goodwill", "op-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }
}
