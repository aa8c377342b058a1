package dev.aiagg.gateway.usage;

import dev.aiagg.api.Money;
import dev.aiagg.api.usage.FindUsage;
import dev.aiagg.api.usage.UsageGrouping;
import dev.aiagg.api.usage.UsageReport;
import dev.aiagg.api.usage.UsageRow;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.ProblemException;
import dev.aiagg.gateway.web.QueryParameters;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The company's own LLM usage, added up per day, model or key; the company always comes from the token. */
@RestController
@RequestMapping("/api/usage")
class UsageController {

    private final QueryGateway queries;

    UsageController(QueryGateway queries) {
        this.queries = queries;
    }

    /**
     * {@code from} is inclusive, {@code to} exclusive; either may be an instant ({@code 2026-01-31T12:00:00Z}) or a
     * date, which means the start of that day in UTC for {@code from} and the end of it for {@code to}. Without
     * them the report covers the current month (UTC).
     */
    @GetMapping
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','DEVELOPER','BILLING','VIEWER')")
    public UsageResponse usage(@AuthenticationPrincipal Jwt jwt,
                               @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to,
                               @RequestParam(required = false) String groupBy) {
        YearMonth month = YearMonth.now(Clock.systemUTC());
        Instant start = instant("from", from, false, month.atDay(1));
        Instant end = instant("to", to, true, month.atEndOfMonth());
        if (!start.isBefore(end)) {
            throw ProblemException.invalidField("from", "from must be before to");
        }
        UsageGrouping grouping = grouping(groupBy);
        UsageReport report = queries.query(new FindUsage(Caller.from(jwt).requireCompanyId(), start, end, grouping),
                ResponseTypes.instanceOf(UsageReport.class)).join();
        return new UsageResponse(start, end, grouping.name().toLowerCase(Locale.ROOT),
                report.rows().stream().map(UsageLine::of).toList());
    }

    private static Instant instant(String parameter, String value, boolean endOfDay, LocalDate fallback) {
        Instant instant = QueryParameters.instant(parameter, value, endOfDay);
        return instant != null ? instant : QueryParameters.startOf(endOfDay ? fallback.plusDays(1) : fallback);
    }

    private static UsageGrouping grouping(String value) {
        if (value == null || value.isBlank()) {
            return UsageGrouping.DAY;
        }
        try {
            return UsageGrouping.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("groupBy", "groupBy must be one of " + Arrays.stream(UsageGrouping.values())
                    .map(grouping -> grouping.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    record UsageResponse(Instant from, Instant to, String groupBy, List<UsageLine> rows) {
    }

    /**
     * {@code failedRequests} are those of the requests that failed before the provider sent anything,
     * {@code cacheHits} those answered from the response cache; {@code cost} is what the requests cost,
     * {@code charged} what the balance paid of it, both in roubles.
     */
    record UsageLine(String group, long requests, long failedRequests, long cacheHits, long promptTokens,
                     long cachedTokens, long completionTokens, long reasoningTokens, String cost, String charged) {

        static UsageLine of(UsageRow row) {
            return new UsageLine(row.group(), row.requests(), row.failedRequests(), row.cacheHits(),
                    row.promptTokens(), row.cachedTokens(), row.completionTokens(), row.reasoningTokens(),
                    Money.format(row.costMicros()), Money.format(row.chargedMicros()));
        }
    }
}
