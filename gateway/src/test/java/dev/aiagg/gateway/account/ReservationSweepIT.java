package dev.aiagg.gateway.account;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.gateway.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReservationSweepIT extends IntegrationTest {

    @Autowired
    private CommandGateway commands;

    @Autowired
    private ReservationSweeper sweeper;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ScheduledTaskHolder scheduled;

    @Test
    void aHoldNeverSettledIsGivenBackByTheSweepWithAnAuditEvent() {
        CompanySession company = newCompany();
        credit(company.companyId(), "10.00");
        String accountId = AccountId.of(company.companyId());
        String abandoned = "req-" + UUID.randomUUID();
        String kept = "req-" + UUID.randomUUID();
        commands.sendAndWait(new ReserveFunds(accountId, company.companyId(), abandoned, 3_000_000,
                Instant.now().plusSeconds(1), null));
        commands.sendAndWait(new ReserveFunds(accountId, company.companyId(), kept, 1_000_000,
                Instant.now().plusSeconds(600), null));
        await().atMost(Duration.ofSeconds(5)).until(() -> "4.00".equals(reserved(company)));

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            sweeper.sweep();
            return "1.00".equals(reserved(company));
        });

        assertThat(call(HttpMethod.GET, "/api/balance", company.accessToken(), null).body()).hasToString(
                "{\"balance\":\"10.00\",\"reserved\":\"1.00\",\"available\":\"9.00\",\"currency\":\"RUB\"}");
        assertThat(expiredRequests(accountId)).containsExactly(abandoned);
        assertThat(jdbc.queryForList("select request_id from open_reservation where account_id = ?", String.class,
                accountId)).containsExactly(kept);

        sweeper.sweep();
        assertThat(expiredRequests(accountId)).containsExactly(abandoned);
    }

    @Test
    void theSweepIsScheduledEveryFiveSecondsByDefault() {
        assertThat(scheduled.getScheduledTasks()).map(ScheduledTask::getTask)
                .filteredOn(FixedDelayTask.class::isInstance)
                .map(task -> ((FixedDelayTask) task).getIntervalDuration())
                .contains(Duration.ofSeconds(5));
    }

    private String reserved(CompanySession company) {
        return call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("reserved");
    }

    /** The audit trail: request ids of the ReservationExpired events stored for the account. */
    private List<String> expiredRequests(String accountId) {
        return jdbc.queryForList("""
                        select convert_from(payload, 'UTF8')::jsonb ->> 'requestId' from domain_event_entry
                        where aggregate_identifier = ? and payload_type = 'dev.aiagg.api.account.ReservationExpired'
                        order by sequence_number
                        """, String.class, accountId);
    }
}
