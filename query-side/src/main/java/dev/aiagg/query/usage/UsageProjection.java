package dev.aiagg.query.usage;

import dev.aiagg.api.account.ChargeDetails;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.usage.FindUsage;
import dev.aiagg.api.usage.UsageReport;
import dev.aiagg.api.usage.UsageRow;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Usage per request and per day, key and model, from the charges (settlements and charges against a hold) that
 * carry charge details; a call that failed before the provider sent anything is a charge of nothing, counted among
 * the failed requests, and one answered from the response cache is counted among the cache hits. One statement inserts the request and adds it to its day only when the insert took place, so
 * a redelivered charge changes nothing and a replay from zero rebuilds identical rows.
 * <p>
 * A report over whole UTC days reads the daily rows; one with a boundary inside a day adds up the requests.
 */
@Component
@ProcessingGroup("usage")
class UsageProjection {

    private static final String RECORD = """
            with inserted as (
                insert into usage_request (company_id, request_id, occurred_at, key_id, model, deployment,
                                           prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens,
                                           cost_micros, charged_micros, uncollected_micros, latency_millis, outcome,
                                           estimated, cache_hit, price_version, fx_rate, fx_date)
                values (:companyId, :requestId, :at, :keyId, :model, :deployment, :prompt, :cached, :completion,
                        :reasoning, :cost, :charged, :uncollected, :latency, :outcome, :estimated, :cacheHit,
                        :priceVersion, :fxRate, :fxDate)
                on conflict (company_id, request_id) do nothing
                returning company_id, occurred_at, key_id, model, outcome, cache_hit, prompt_tokens,
                          cached_tokens, completion_tokens, reasoning_tokens, cost_micros, charged_micros
            )
            insert into usage_daily as d (company_id, day, key_id, model, requests, failed_requests, cache_hits,
                                          prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens,
                                          cost_micros, charged_micros)
            select company_id, (occurred_at at time zone 'UTC')::date, coalesce(key_id, ''), coalesce(model, ''), 1,
                   case when outcome = :failed then 1 else 0 end, case when cache_hit then 1 else 0 end,
                   prompt_tokens, cached_tokens, completion_tokens, reasoning_tokens, cost_micros, charged_micros
            from inserted
            on conflict (company_id, day, key_id, model) do update
                set requests = d.requests + excluded.requests,
                    failed_requests = d.failed_requests + excluded.failed_requests,
                    cache_hits = d.cache_hits + excluded.cache_hits,
                    prompt_tokens = d.prompt_tokens + excluded.prompt_tokens,
                    cached_tokens = d.cached_tokens + excluded.cached_tokens,
                    completion_tokens = d.completion_tokens + excluded.completion_tokens,
                    reasoning_tokens = d.reasoning_tokens + excluded.reasoning_tokens,
                    cost_micros = d.cost_micros + excluded.cost_micros,
                    charged_micros = d.charged_micros + excluded.charged_micros
            """;

    private static final String BY_DAY = """
            select %s as grouped, sum(requests) as requests, sum(failed_requests) as failed_requests,
                   sum(cache_hits) as cache_hits, sum(prompt_tokens) as prompt_tokens,
                   sum(cached_tokens) as cached_tokens, sum(completion_tokens) as completion_tokens,
                   sum(reasoning_tokens) as reasoning_tokens, sum(cost_micros) as cost_micros,
                   sum(charged_micros) as charged_micros
            from usage_daily
            where company_id = :companyId and day >= :fromDay and day < :toDay
            group by grouped order by grouped
            """;

    private static final String BY_REQUEST = """
            select %s as grouped, count(*) as requests,
                   count(*) filter (where outcome = :failed) as failed_requests,
                   count(*) filter (where cache_hit) as cache_hits, sum(prompt_tokens) as prompt_tokens,
                   sum(cached_tokens) as cached_tokens, sum(completion_tokens) as completion_tokens,
                   sum(reasoning_tokens) as reasoning_tokens, sum(cost_micros) as cost_micros,
                   sum(charged_micros) as charged_micros
            from usage_request
            where company_id = :companyId and occurred_at >= :from and occurred_at < :to
            group by grouped order by grouped
            """;

    private final NamedParameterJdbcTemplate jdbc;

    UsageProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ReservationSettled event, @Timestamp Instant at) {
        record(event.companyId(), event.requestId(), at, event.details(), event.costMicros(), event.chargedMicros(),
                event.uncollectedMicros());
    }

    @EventHandler
    void on(ChargedAgainstHold event, @Timestamp Instant at) {
        record(event.companyId(), event.requestId(), at, event.details(), event.costMicros(), event.chargedMicros(),
                event.uncollectedMicros());
    }

    private void record(String companyId, String requestId, Instant at, ChargeDetails details, long cost,
                        long charged, long uncollected) {
        if (details == null) {
            return;
        }
        jdbc.update(RECORD, new MapSqlParameterSource()
                .addValue("companyId", Objects.requireNonNull(companyId, "a charge without its company"))
                .addValue("requestId", Objects.requireNonNull(requestId, "a charge without its request"))
                .addValue("at", java.sql.Timestamp.from(at))
                .addValue("keyId", details.keyId())
                .addValue("model", details.model())
                .addValue("deployment", details.deployment())
                .addValue("prompt", details.promptTokens())
                .addValue("cached", details.cachedTokens())
                .addValue("completion", details.completionTokens())
                .addValue("reasoning", details.reasoningTokens())
                .addValue("cost", cost)
                .addValue("charged", charged)
                .addValue("uncollected", uncollected)
                .addValue("latency", details.latencyMillis())
                .addValue("outcome", details.outcome())
                .addValue("failed", ChargeDetails.FAILED)
                .addValue("estimated", details.estimated())
                .addValue("cacheHit", details.cacheHit())
                .addValue("priceVersion", details.priceVersion())
                .addValue("fxRate", details.fxRate())
                .addValue("fxDate", details.fxDate() == null ? null : java.sql.Date.valueOf(details.fxDate())));
    }

    /** Truncated, not deleted: a rebuild then writes into fresh tables and indexes instead of dead rows. */
    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().execute("truncate usage_request, usage_daily");
    }

    @QueryHandler
    UsageReport handle(FindUsage query) {
        MapSqlParameterSource params = new MapSqlParameterSource("companyId", query.companyId())
                .addValue("failed", ChargeDetails.FAILED);
        String sql;
        if (startOfDay(query.from()) && startOfDay(query.to())) {
            sql = BY_DAY.formatted(switch (query.groupBy()) {
                case DAY -> "to_char(day, 'YYYY-MM-DD')";
                case MODEL -> "model";
                case KEY -> "key_id";
            });
            params.addValue("fromDay", java.sql.Date.valueOf(query.from().atOffset(ZoneOffset.UTC).toLocalDate()))
                    .addValue("toDay", java.sql.Date.valueOf(query.to().atOffset(ZoneOffset.UTC).toLocalDate()));
        } else {
            sql = BY_REQUEST.formatted(switch (query.groupBy()) {
                case DAY -> "to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD')";
                case MODEL -> "coalesce(model, '')";
                case KEY -> "coalesce(key_id, '')";
            });
            params.addValue("from", java.sql.Timestamp.from(query.from()))
                    .addValue("to", java.sql.Timestamp.from(query.to()));
        }
        return new UsageReport(jdbc.query(sql, params, (rs, row) -> new UsageRow(rs.getString("grouped"),
                rs.getLong("requests"), rs.getLong("failed_requests"), rs.getLong("cache_hits"),
                rs.getLong("prompt_tokens"),
                rs.getLong("cached_tokens"), rs.getLong("completion_tokens"), rs.getLong("reasoning_tokens"),
                rs.getLong("cost_micros"), rs.getLong("charged_micros"))));
    }

    private static boolean startOfDay(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
    }
}
