package dev.aiagg.query.usage;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargeDetails;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.usage.FindUsage;
import dev.aiagg.api.usage.UsageGrouping;
import dev.aiagg.api.usage.UsageRow;
import dev.aiagg.query.QueryDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsageProjectionTest {

    private static final String COMPANY = "cmp_usage";
    private static final Instant MARCH_1 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant MARCH_2 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Instant APRIL_1 = Instant.parse("2026-04-01T00:00:00Z");

    private final UsageProjection projection = new UsageProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void recordsEachRequestWithItsDetails() {
        settle(COMPANY, "req_1", "key_1", "gpt-4o-mini", 1_200, 200, 350, 41_625, 41_625, MARCH_1.plusSeconds(3600));

        assertThat(QueryDatabase.rows("usage_request", "request_id")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("company_id", COMPANY).containsEntry("request_id", "req_1")
                    .containsEntry("key_id", "key_1").containsEntry("model", "gpt-4o-mini")
                    .containsEntry("deployment", "openai/gpt-4o-mini").containsEntry("prompt_tokens", 1_200L)
                    .containsEntry("cached_tokens", 200L).containsEntry("completion_tokens", 350L)
                    .containsEntry("reasoning_tokens", 10L).containsEntry("cost_micros", 41_625L)
                    .containsEntry("charged_micros", 41_625L).containsEntry("uncollected_micros", 0L)
                    .containsEntry("latency_millis", 812L).containsEntry("outcome", "ok")
                    .containsEntry("estimated", false).containsEntry("cache_hit", true)
                    .containsEntry("price_version", 3L);
            assertThat((BigDecimal) row.get("fx_rate")).isEqualByComparingTo("92.5");
        });
    }

    @Test
    void aCallChargedAgainstAHoldIsUsageOnceEvenWhenRedelivered() {
        ChargeDetails details = new ChargeDetails("key_1", "gpt-4o-mini", "openai/gpt-4o-mini", 100, 0, 30, 0,
                true, false, 3, BigDecimal.ONE, null, 20, "COMPLETED");
        ChargedAgainstHold charged = new ChargedAgainstHold(AccountId.of(COMPANY), COMPANY, "hold_1", "req_1", 1_000,
                1_000, 900, 100, "usage", 99_100, 0, details);

        projection.on(charged, MARCH_1.plusSeconds(60));
        projection.on(charged, MARCH_1.plusSeconds(60));

        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.MODEL)).containsExactly(
                new UsageRow("gpt-4o-mini", 1, 0, 0, 100, 0, 30, 0, 1_000, 900));
        assertThat(QueryDatabase.rows("usage_request", "request_id")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("estimated", true)
                        .containsEntry("uncollected_micros", 100L));
    }

    @Test
    void aSettlementWithoutDetailsIsNotUsage() {
        projection.on(new ReservationSettled(AccountId.of(COMPANY), COMPANY, "req_1", 10, 5, 5, 0, "usage", 95, 0,
                null), MARCH_1);

        assertThat(QueryDatabase.rows("usage_request", "request_id")).isEmpty();
        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.DAY)).isEmpty();
    }

    @Test
    void groupsByDayModelAndKey() {
        threeRequests();

        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.DAY)).containsExactly(
                new UsageRow("2026-03-01", 2, 0, 1, 300, 10, 70, 20, 3_000, 3_000),
                new UsageRow("2026-03-02", 1, 0, 0, 1_000, 0, 500, 10, 7_000, 6_000));
        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.MODEL)).containsExactly(
                new UsageRow("claude-sonnet-4", 1, 0, 0, 1_000, 0, 500, 10, 7_000, 6_000),
                new UsageRow("gpt-4o-mini", 2, 0, 1, 300, 10, 70, 20, 3_000, 3_000));
        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.KEY)).containsExactly(
                new UsageRow("key_1", 2, 0, 1, 1_100, 10, 530, 20, 8_000, 7_000),
                new UsageRow("key_2", 1, 0, 0, 200, 0, 40, 10, 2_000, 2_000));
    }

    @Test
    void aPeriodOfWholeDaysAndOneOfInstantsAgree() {
        threeRequests();

        assertThat(report(MARCH_1, MARCH_2, UsageGrouping.KEY)).containsExactly(
                new UsageRow("key_1", 1, 0, 1, 100, 10, 30, 10, 1_000, 1_000),
                new UsageRow("key_2", 1, 0, 0, 200, 0, 40, 10, 2_000, 2_000));
        assertThat(report(MARCH_1.plusSeconds(1), MARCH_2, UsageGrouping.KEY)).containsExactly(
                new UsageRow("key_1", 1, 0, 1, 100, 10, 30, 10, 1_000, 1_000),
                new UsageRow("key_2", 1, 0, 0, 200, 0, 40, 10, 2_000, 2_000));
        assertThat(report(MARCH_1.plusSeconds(3601), APRIL_1, UsageGrouping.DAY)).containsExactly(
                new UsageRow("2026-03-01", 1, 0, 0, 200, 0, 40, 10, 2_000, 2_000),
                new UsageRow("2026-03-02", 1, 0, 0, 1_000, 0, 500, 10, 7_000, 6_000));
        assertThat(report(APRIL_1, APRIL_1.plusSeconds(86_400), UsageGrouping.DAY)).isEmpty();
    }

    @Test
    void aCallThatFailedIsAFailedRequestOfNoCost() {
        threeRequests();
        ChargeDetails failed = new ChargeDetails("key_1", "gpt-4o-mini", "openai/gpt-4o-mini", 0, 0, 0, 0, false,
                false, 3, BigDecimal.ONE, null, 1_500, ChargeDetails.FAILED);
        projection.on(new ChargedAgainstHold(AccountId.of(COMPANY), COMPANY, "hold_1", "req_4", 0, 0, 0, 0,
                "gpt-4o-mini failed", 99_000, 0, failed), MARCH_1.plusSeconds(9000));

        UsageRow expected = new UsageRow("gpt-4o-mini", 3, 1, 1, 300, 10, 70, 20, 3_000, 3_000);
        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.MODEL)).contains(expected);
        assertThat(report(MARCH_1.plusSeconds(1), APRIL_1, UsageGrouping.MODEL)).contains(expected);
        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.DAY)).first()
                .isEqualTo(new UsageRow("2026-03-01", 3, 1, 1, 300, 10, 70, 20, 3_000, 3_000));
    }

    @Test
    void showsOnlyTheCompanysOwnUsage() {
        threeRequests();
        settle("cmp_other", "req_1", "key_x", "gpt-4o-mini", 5, 0, 5, 99, 99, MARCH_1.plusSeconds(10));

        assertThat(report(MARCH_1, APRIL_1, UsageGrouping.KEY)).extracting(UsageRow::group)
                .containsExactly("key_1", "key_2");
        assertThat(projection.handle(new FindUsage("cmp_other", MARCH_1, APRIL_1, UsageGrouping.KEY)).rows())
                .containsExactly(new UsageRow("key_x", 1, 0, 0, 5, 0, 5, 10, 99, 99));
    }

    @Test
    void aRedeliveredSettlementCountsOnce() {
        threeRequests();
        List<Map<String, Object>> requests = QueryDatabase.rows("usage_request", "request_id");
        List<Map<String, Object>> daily = QueryDatabase.rows("usage_daily", "day, key_id, model");

        threeRequests();

        assertThat(QueryDatabase.rows("usage_request", "request_id")).isEqualTo(requests);
        assertThat(QueryDatabase.rows("usage_daily", "day, key_id, model")).isEqualTo(daily);
    }

    @Test
    void resetEmptiesTheTablesAndAReplayRebuildsIdenticalRows() {
        threeRequests();
        List<Map<String, Object>> requests = QueryDatabase.rows("usage_request", "request_id");
        List<Map<String, Object>> daily = QueryDatabase.rows("usage_daily", "day, key_id, model");

        projection.reset();
        assertThat(QueryDatabase.rows("usage_request", "request_id")).isEmpty();
        assertThat(QueryDatabase.rows("usage_daily", "day, key_id, model")).isEmpty();

        threeRequests();
        assertThat(QueryDatabase.rows("usage_request", "request_id")).isEqualTo(requests).hasSize(3);
        assertThat(QueryDatabase.rows("usage_daily", "day, key_id, model")).isEqualTo(daily).hasSize(3);
    }

    /**
     * Two requests on March 1 (one per key; the first, with cached tokens, answered from the response cache), one on
     * March 2 that the account could not wholly cover.
     */
    private void threeRequests() {
        settle(COMPANY, "req_1", "key_1", "gpt-4o-mini", 100, 10, 30, 1_000, 1_000, MARCH_1.plusSeconds(3600));
        settle(COMPANY, "req_2", "key_2", "gpt-4o-mini", 200, 0, 40, 2_000, 2_000, MARCH_1.plusSeconds(7200));
        settle(COMPANY, "req_3", "key_1", "claude-sonnet-4", 1_000, 0, 500, 7_000, 6_000, MARCH_2.plusSeconds(60));
    }

    private void settle(String companyId, String requestId, String keyId, String model, long prompt, long cached,
                        long completion, long cost, long charged, Instant at) {
        ChargeDetails details = new ChargeDetails(keyId, model, "openai/" + model, prompt, cached, completion, 10,
                false, cached > 0, 3, new BigDecimal("92.5"), LocalDate.parse("2026-03-01"), 812, "ok");
        projection.on(new ReservationSettled(AccountId.of(companyId), companyId, requestId, cost, cost, charged,
                cost - charged, model, 100_000 - charged, 0, details), at);
    }

    private List<UsageRow> report(Instant from, Instant to, UsageGrouping groupBy) {
        return projection.handle(new FindUsage(COMPANY, from, to, groupBy)).rows();
    }
}
