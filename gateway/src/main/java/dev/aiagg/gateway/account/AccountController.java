package dev.aiagg.gateway.account;

import dev.aiagg.api.Money;
import dev.aiagg.api.account.BalanceView;
import dev.aiagg.api.account.FindBalance;
import dev.aiagg.api.account.FindStatement;
import dev.aiagg.api.account.StatementEntry;
import dev.aiagg.api.account.StatementEntryType;
import dev.aiagg.api.account.StatementPage;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.ProblemException;
import dev.aiagg.gateway.web.QueryParameters;
import java.time.Instant;
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

/** The company's own balance and statement; the company always comes from the token. */
@RestController
@RequestMapping("/api")
class AccountController {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;

    private final QueryGateway queries;

    AccountController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/balance")
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','DEVELOPER','BILLING','VIEWER')")
    public BalanceResponse balance(@AuthenticationPrincipal Jwt jwt) {
        BalanceView view = queries.query(new FindBalance(Caller.from(jwt).requireCompanyId()),
                ResponseTypes.instanceOf(BalanceView.class)).join();
        return new BalanceResponse(Money.format(view.balanceMicros()), Money.format(view.reservedMicros()),
                Money.format(view.availableMicros()), view.currency());
    }

    /**
     * {@code from} is inclusive, {@code to} exclusive; either may be an instant ({@code 2026-01-31T12:00:00Z}) or a
     * date, which means the start of that day in UTC for {@code from} and the end of it for {@code to}.
     */
    @GetMapping("/statement")
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','BILLING','VIEWER')")
    public StatementResponse statement(@AuthenticationPrincipal Jwt jwt,
                                       @RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to,
                                       @RequestParam(required = false) String type,
                                       @RequestParam(required = false) String cursor,
                                       @RequestParam(required = false) String limit) {
        Instant start = QueryParameters.instant("from", from, false);
        Instant end = QueryParameters.instant("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.invalidField("from", "from must be before to");
        }
        FindStatement query = new FindStatement(Caller.from(jwt).requireCompanyId(), start, end, entryType(type),
                cursor(cursor), pageSize(limit));
        StatementPage page = queries.query(query, ResponseTypes.instanceOf(StatementPage.class)).join();
        return new StatementResponse(page.entries().stream().map(StatementLine::of).toList(), page.nextCursor());
    }

    private static StatementEntryType entryType(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return StatementEntryType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("type", "type must be one of " + List.of(StatementEntryType.values()));
        }
    }

    private static Long cursor(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return QueryParameters.wholeNumber("cursor", value, 0, 0, Long.MAX_VALUE,
                "cursor must be the nextCursor of a previous page");
    }

    private static int pageSize(String value) {
        return (int) QueryParameters.wholeNumber("limit", value, DEFAULT_PAGE, 1, MAX_PAGE,
                "limit must be a whole number from 1 to " + MAX_PAGE);
    }

    record BalanceResponse(String balance, String reserved, String available, String currency) {
    }

    record StatementResponse(List<StatementLine> entries, Long nextCursor) {
    }

    record StatementLine(long entry, Instant occurredAt, StatementEntryType type, String reference, String amount,
                         String balanceAfter, String description) {

        static StatementLine of(StatementEntry entry) {
            return new StatementLine(entry.entry(), entry.occurredAt(), entry.type(), entry.reference(),
                    Money.format(entry.amountMicros()), Money.format(entry.balanceAfterMicros()),
                    entry.description());
        }
    }
}
