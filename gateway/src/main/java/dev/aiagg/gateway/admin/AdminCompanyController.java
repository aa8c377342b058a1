package dev.aiagg.gateway.admin;

import dev.aiagg.api.Money;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.company.CompanyList;
import dev.aiagg.api.company.CompanyStatus;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompanies;
import dev.aiagg.api.company.FindCompany;
import dev.aiagg.api.company.ReactivateCompany;
import dev.aiagg.api.company.SuspendCompany;
import dev.aiagg.gateway.account.ProjectionSync;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.AllowedText;
import dev.aiagg.gateway.web.DecimalAmount;
import dev.aiagg.gateway.web.QueryParameters;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static dev.aiagg.api.Text.Kind.FREE_TEXT;
import static dev.aiagg.api.Text.Kind.IDENTIFIER;

/** What platform operators do to companies: correct balances, suspend and reactivate, list. */
@RestController
@RequestMapping("/api/admin/companies")
@PreAuthorize("hasRole('PLATFORM_ADMIN')")
class AdminCompanyController {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ProjectionSync projections;

    AdminCompanyController(CommandGateway commands, QueryGateway queries, ProjectionSync projections) {
        this.commands = commands;
        this.queries = queries;
        this.projections = projections;
    }

    /**
     * The {@code Idempotency-Key} header, required, becomes the adjustment id: a retried request changes the balance
     * once and is answered as the first was (the same id and balance), while the same key with another amount or
     * reason is a 409. The balance is the one right after the adjustment; the answer waits for the read model.
     */
    @PostMapping("/{id}/adjustments")
    @ResponseStatus(HttpStatus.CREATED)
    public AdjustmentResponse adjust(@AuthenticationPrincipal Jwt jwt,
                                     @PathVariable @AllowedText(IDENTIFIER) String id,
                                     @RequestHeader("Idempotency-Key") @AllowedText(IDENTIFIER) String idempotencyKey,
                                     @Valid @RequestBody AdjustmentRequest request) {
        requireCompany(id);
        long balanceAfter = commands.sendAndWait(new AdjustBalance(AccountId.of(id), id, idempotencyKey,
                Money.parseMicros(request.amount()), request.reason(), Caller.from(jwt).memberId()));
        projections.awaitProjections("ledger");
        return new AdjustmentResponse(idempotencyKey, Money.format(balanceAfter));
    }

    @PostMapping("/{id}/suspend")
    public StatusResponse suspend(@AuthenticationPrincipal Jwt jwt, @PathVariable @AllowedText(IDENTIFIER) String id,
                                  @Valid @RequestBody SuspendRequest request) {
        requireCompany(id);
        commands.sendAndWait(new SuspendCompany(id, request.reason(), Caller.from(jwt).memberId()));
        projections.awaitProjections("companies", "api-keys");
        return new StatusResponse(id, CompanyStatus.SUSPENDED);
    }

    @PostMapping("/{id}/reactivate")
    public StatusResponse reactivate(@AuthenticationPrincipal Jwt jwt,
                                     @PathVariable @AllowedText(IDENTIFIER) String id) {
        requireCompany(id);
        commands.sendAndWait(new ReactivateCompany(id, Caller.from(jwt).memberId()));
        projections.awaitProjections("companies", "api-keys");
        return new StatusResponse(id, CompanyStatus.ACTIVE);
    }

    @GetMapping
    public CompanyPage list(@RequestParam(required = false) String offset,
                            @RequestParam(required = false) String limit) {
        int first = number("offset", offset, 0, 0, Integer.MAX_VALUE);
        int size = number("limit", limit, DEFAULT_PAGE, 1, MAX_PAGE);
        CompanyList page = queries.query(new FindCompanies(first, size), ResponseTypes.instanceOf(CompanyList.class))
                .join();
        return new CompanyPage(page.companies().stream().map(CompanyLine::of).toList(), page.total(), first, size);
    }

    private void requireCompany(String companyId) {
        if (findCompany(companyId).isEmpty()) {
            // A company registered a moment ago may not be in the read model yet.
            projections.awaitProjections("companies");
            if (findCompany(companyId).isEmpty()) {
                throw new NotFoundException("no company " + companyId);
            }
        }
    }

    private Optional<CompanyView> findCompany(String companyId) {
        return queries.query(new FindCompany(companyId), ResponseTypes.optionalInstanceOf(CompanyView.class)).join();
    }

    private static int number(String name, String value, int fallback, int min, int max) {
        return (int) QueryParameters.wholeNumber(name, value, fallback, min, max,
                name + " must be a whole number from " + min + " to " + max);
    }

    record AdjustmentRequest(@NotNull @DecimalAmount(sign = DecimalAmount.Sign.NON_ZERO) String amount,
                             @NotNull @AllowedText(FREE_TEXT) String reason) {
    }

    record SuspendRequest(@NotNull @AllowedText(FREE_TEXT) String reason) {
    }

    record AdjustmentResponse(String adjustmentId, String balance) {
    }

    record StatusResponse(String companyId, CompanyStatus status) {
    }

    record CompanyPage(List<CompanyLine> companies, long total, int offset, int limit) {
    }

    record CompanyLine(String companyId, String name, String email, String referralCode, String referredBy,
                       CompanyStatus status, Instant registeredAt, int members) {

        static CompanyLine of(CompanyView view) {
            return new CompanyLine(view.companyId(), view.name(), view.email(), view.referralCode(),
                    view.referredBy(), view.status(), view.registeredAt(),
                    view.members() == null ? 0 : view.members().size());
        }
    }
}
