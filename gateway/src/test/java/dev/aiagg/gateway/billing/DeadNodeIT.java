package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationExtended;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A node killed with -9: a second billing engine, beside the application's, holds a company's whole balance and then
 * dies (its timers stop; nothing is released). Its hold lapses within a lease and a sweep, and the company can spend
 * again through the application.
 */
class DeadNodeIT extends BillingIntegrationTest {

    /** Short, so the test is; the default is 20 s. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    /** {@code aiagg.ledger.expiry-sweep-interval}, by default. */
    private static final Duration SWEEP = Duration.ofSeconds(5);

    @Autowired
    private CommandGateway commands;

    @Autowired
    private ChargeDeadLetters deadLetters;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void theHoldsOfANodeThatDiedLapseWithinALeaseAndASweepAndTheCompanyCanSpendAgain() throws Exception {
        CompanySession company = newCompany();
        credit(company.companyId(), "1.00");
        String model = defineModel();
        String secret = issueKey(company);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        CallHolds otherNode = new CallHolds(new AxonLedger(commands), deadLetters, new BillingProperties(LEASE,
                Duration.ofMinutes(15), 32, Duration.ofSeconds(2), Duration.ofMillis(100), 1_000,
                Duration.ofSeconds(5), BigDecimal.ONE, LocalDate.now(), BigDecimal.ZERO), Duration.ofMinutes(10),
                Clock.systemUTC(), timers);
        otherNode.start();

        CallHolds.Draw streaming = otherNode.draw(company.companyId(), "key_of_the_other_node", null, 900_000);
        String hold = streaming.hold().id();
        assertThat(chat(secret, model).status()).as("the other node holds the whole balance").isEqualTo(402);
        Thread.sleep(LEASE.multipliedBy(2).toMillis());
        assertThat(chat(secret, model).status()).as("renewed, the hold outlives its first lease").isEqualTo(402);
        assertThat(events(ReservationExtended.class, hold)).isNotEmpty();

        timers.shutdownNow();
        long died = System.nanoTime();

        await().atMost(LEASE.plus(SWEEP).plusSeconds(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> chat(secret, model).status() == 200);
        Duration lapsed = Duration.ofNanos(System.nanoTime() - died);
        assertThat(lapsed).isLessThanOrEqualTo(LEASE.plus(SWEEP).plusSeconds(3));
        assertThat(events(ReservationExpired.class, hold)).hasSize(1);
    }

    private List<String> events(Class<?> type, String holdId) {
        return jdbc.queryForList("""
                select event_identifier from domain_event_entry
                where payload_type = ? and convert_from(payload, 'UTF8')::jsonb ->> 'requestId' = ?
                """, String.class, type.getName(), holdId);
    }
}
