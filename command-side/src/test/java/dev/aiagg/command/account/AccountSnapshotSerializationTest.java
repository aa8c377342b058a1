package dev.aiagg.command.account;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aiagg.api.DomainException;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.CreditTopUp;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.Test;

import static dev.aiagg.command.account.AccountTest.ACCOUNT;
import static dev.aiagg.command.account.AccountTest.COMPANY;
import static dev.aiagg.command.account.AccountTest.LATER;
import static dev.aiagg.command.account.AccountTest.NOW;
import static dev.aiagg.command.account.AccountTest.opened;
import static dev.aiagg.command.account.AccountTest.reserved;
import static dev.aiagg.command.account.AccountTest.toppedUp;
import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots store the Account with Axon's Jackson serializer; its state must survive the round trip. */
class AccountSnapshotSerializationTest {

    /** Configured as axon-config configures the serializer's mapper. */
    private final ObjectMapper axonMapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Test
    void anAccountWithOpenHoldsAndCreditedPaymentsReadsBackUnchanged() throws Exception {
        Account account = accountWithHistory();

        String json = axonMapper.writeValueAsString(account);
        Account restored = axonMapper.readValue(json, Account.class);

        assertThat(restored).usingRecursiveComparison().isEqualTo(account);
        assertThat(axonMapper.readTree(axonMapper.writeValueAsString(restored))).isEqualTo(axonMapper.readTree(json));
        assertThat(json).contains("\"req-1\"", "\"pay-1\"", "\"adj-1\"", "\"" + LATER + "\"");
    }

    @Test
    void aRestoredAccountBehavesAsTheOriginal() throws Exception {
        String json = axonMapper.writeValueAsString(accountWithHistory());

        fixtureGiven(json)
                .when(new SettleReservation(ACCOUNT, "req-1", 30, "usage", null))
                .expectEvents(new ReservationSettled(ACCOUNT, COMPANY, "req-1", 40, 30, 30, 0, "usage", 120, 10,
                        null));
        fixtureGiven(json)
                .when(new ReserveFunds(ACCOUNT, COMPANY, "req-3", 101, LATER, null))
                .expectException(InsufficientFundsException.class);
        fixtureGiven(json)
                .when(new ReserveFunds(ACCOUNT, COMPANY, "req-4", 1, LATER, new KeyBudget("key-1", 10, "2026-03")))
                .expectException(KeyBudgetExceededException.class);
        fixtureGiven(json)
                .when(new CreditTopUp(ACCOUNT, COMPANY, "pay-1", 100))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixtureGiven(json)
                .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 50, "goodwill", "op-1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(150L);
        fixtureGiven(json)
                .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-1", 51, "goodwill", "op-1"))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    /** Such a snapshot knows its adjustments by id alone: a repeat is taken as the same request, nothing twice. */
    @Test
    void aSnapshotTakenBeforeAdjustmentFingerprintsStillKnowsItsAdjustments() throws Exception {
        Account restored = axonMapper.readValue("""
                {"accountId":"acct_company-1","companyId":"company-1","currency":"RUB","creditLimitMicros":0,
                 "balanceMicros":100,"reservedMicros":0,"holds":{},"creditedPaymentIds":[],
                 "adjustmentIds":["adj-0"],"keySpending":{}}
                """, Account.class);
        AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(new InMemoryClosedReservations());

        fixture.useStateStorage().givenState(() -> restored).andGivenCurrentTime(NOW)
                .when(new AdjustBalance(ACCOUNT, COMPANY, "adj-0", 100, "opening credit", "op-1"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(100L);
        assertThat(axonMapper.writeValueAsString(restored)).contains("\"adj-0\"");
    }

    /** A fixture whose account is the one read back from the snapshot JSON, not rebuilt from events. */
    private TestExecutor<Account> fixtureGiven(String json) throws Exception {
        Account restored = axonMapper.readValue(json, Account.class);
        AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(new InMemoryClosedReservations());
        return fixture.useStateStorage().givenState(() -> restored).andGivenCurrentTime(NOW);
    }

    private static Account accountWithHistory() {
        Account account = new Account();
        account.on(opened());
        account.on(toppedUp("pay-1", 100, 100));
        account.on(new BalanceAdjusted(ACCOUNT, COMPANY, "adj-1", 50, "goodwill", "op-1", 150));
        account.on(reserved("req-1", 40, 150, 40));
        account.on(new FundsReserved(ACCOUNT, COMPANY, "req-2", 10, LATER, 150, 50,
                new KeyBudget("key-1", 10, "2026-03")));
        return account;
    }

    @Test
    void eventsStoredBeforeChargeDetailsAndKeyBudgetsReadWithoutThem() throws Exception {
        FundsReserved reserved = axonMapper.readValue("""
                {"accountId":"acct_c1","companyId":"c1","requestId":"r1","amountMicros":10,
                 "expiresAt":"2026-03-01T12:05:00Z","balanceMicros":100,"reservedAfterMicros":10}
                """, FundsReserved.class);
        ReservationSettled settled = axonMapper.readValue("""
                {"accountId":"acct_c1","companyId":"c1","requestId":"r1","reservedMicros":10,"costMicros":5,
                 "chargedMicros":5,"uncollectedMicros":0,"description":"usage","balanceAfterMicros":95,
                 "reservedAfterMicros":0}
                """, ReservationSettled.class);

        assertThat(reserved.keyBudget()).isNull();
        assertThat(reserved.amountMicros()).isEqualTo(10);
        assertThat(settled.details()).isNull();
        assertThat(settled.chargedMicros()).isEqualTo(5);
    }

    @Test
    void aSnapshotTakenBeforeKeyBudgetsReadsBackWithoutThem() throws Exception {
        Account restored = axonMapper.readValue("""
                {"accountId":"acct_company-1","companyId":"company-1","currency":"RUB","creditLimitMicros":0,
                 "balanceMicros":100,"reservedMicros":40,
                 "holds":{"req-1":{"amountMicros":40,"expiresAt":"2026-03-01T12:05:00Z"}},
                 "creditedPaymentIds":["pay-1"],"adjustmentIds":[]}
                """, Account.class);
        AggregateTestFixture<Account> fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerInjectableResource(new InMemoryClosedReservations());

        fixture.useStateStorage().givenState(() -> restored).andGivenCurrentTime(NOW)
                .when(new ReserveFunds(ACCOUNT, COMPANY, "req-2", 60, LATER, new KeyBudget("key-1", 60, "2026-03")))
                .expectEvents(new FundsReserved(ACCOUNT, COMPANY, "req-2", 60, LATER, 100, 100,
                        new KeyBudget("key-1", 60, "2026-03")));
    }
}
