package dev.aiagg.gateway.admin;

import dev.aiagg.api.Money;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.BalanceView;
import dev.aiagg.api.account.FindBalance;
import dev.aiagg.api.company.CompanyList;
import dev.aiagg.api.company.CompanyStatus;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompanies;
import dev.aiagg.api.company.FindCompany;
import dev.aiagg.api.company.ReactivateCompany;
import dev.aiagg.api.company.SuspendCompany;
import dev.aiagg.gateway.account.ProjectionSync;
import dev.aiagg.gateway.account.RoubleAmount;
import dev.aiagg.gateway.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

/** What platform operators do to companies: correct balances, suspend and reactivate, list. */
@RestController
@RequestMapping("/api/admin/companies")
@PreAuthorize("hasRole('PLATFORM_ADMIN')")
class AdminCompanyController {

    static final int MAX_IDEMPOTENCY_KEY = 100;
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
     * The {@code Idempotency-Key} header (or the body's {@code idempotencyKey}) becomes the adjustment id, so a
     * retried request changes the balance once. The answer carries the balance once the read model has it.
     */
    @PostMapping("/{id}/adjustments")
    @ResponseStatus(HttpStatus.CREATED)
    public AdjustmentResponse adjust(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                     @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                     @Valid @RequestBody AdjustmentRequest request) {
        String adjustmentId = adjustmentId(idempotencyKey, request.idempotencyKey());
        requireCompany(id);
        commands.sendAndWait(new AdjustBalance(AccountId.of(id), id, adjustmentId,
                Money.parseMicros(request.amount()), request.reason().trim(), Caller.from(jwt).memberId()));
        projections.awaitProjections("ledger");
        BalanceView balance = queries.query(new FindBalance(id), ResponseTypes.instanceOf(BalanceView.class)).join();
        return new AdjustmentResponse(adjustmentId, Money.format(balance.balanceMicros()));
    }

    @PostMapping("/{id}/suspend")
    public StatusResponse suspend(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                  @Valid @RequestBody SuspendRequest request) {
        requireCompany(id);
        commands.sendAndWait(new SuspendCompany(id, request.reason().trim(), Caller.from(jwt).memberId()));
        projections.awaitProjections("companies", "api-keys");
        return new StatusResponse(id, CompanyStatus.SUSPENDED);
    }

    @PostMapping("/{id}/reactivate")
    public StatusResponse reactivate(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
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

    private static String adjustmentId(String header, String body) {
        String key = header != null && !header.isBlank() ? header.trim()
                : body != null && !body.isBlank() ? body.trim() : null;
        if (key == null) {
            return "adj_" + UUID.randomUUID();
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new IllegalArgumentException("Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        return key;
    }

    private static int number(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String refusal = name + " must be a whole number from " + min + " to " + max;
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(refusal);
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(refusal);
        }
        return number;
    }

    record AdjustmentRequest(@NotNull @RoubleAmount(sign = RoubleAmount.Sign.NON_ZERO,
                                     message = "must be a non-zero decimal amount such as \"-10.50\"") String amount,
                             @NotBlank @Size(max = 500) String reason,
                             @Size(max = MAX_IDEMPOTENCY_KEY) String idempotencyKey) {
    }

    record SuspendRequest(@NotBlank @Size(max = 500) String reason) {
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
