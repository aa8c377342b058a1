package dev.aiagg.gateway.apikey;

import dev.aiagg.api.Money;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.apikey.ApiKeyLimits;
import dev.aiagg.api.apikey.ApiKeyList;
import dev.aiagg.api.apikey.ApiKeyStatus;
import dev.aiagg.api.apikey.ApiKeyView;
import dev.aiagg.api.apikey.FindApiKeys;
import dev.aiagg.api.apikey.IssueApiKey;
import dev.aiagg.api.apikey.RevokeApiKey;
import dev.aiagg.api.apikey.RotateApiKey;
import dev.aiagg.api.company.CompanyStatus;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompany;
import dev.aiagg.gateway.account.ProjectionSync;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.AllowedText;
import dev.aiagg.gateway.web.DecimalAmount;
import dev.aiagg.gateway.web.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static dev.aiagg.api.Text.Kind.DISPLAY_NAME;
import static dev.aiagg.api.Text.Kind.IDENTIFIER;
import static dev.aiagg.api.Text.Kind.MODEL_ID;

/**
 * A company's API keys. The secret appears in the responses of issue and rotate only; everything that is kept
 * holds its SHA-256. Every change waits for the key read model, so the key works (or stops working) as soon as
 * the response arrives. A suspended company can revoke its keys but neither issue nor rotate one.
 */
@RestController
@RequestMapping("/api/keys")
class ApiKeyController {

    static final String PROJECTION = "api-keys";
    static final Duration DEFAULT_GRACE = Duration.ofDays(1);
    static final long MAX_GRACE_SECONDS = 7 * 24 * 3600;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ApiKeySecrets secrets;
    private final ProjectionSync projections;

    ApiKeyController(CommandGateway commands, QueryGateway queries, ApiKeySecrets secrets,
                     ProjectionSync projections) {
        this.commands = commands;
        this.queries = queries;
        this.secrets = secrets;
        this.projections = projections;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','DEVELOPER')")
    public IssuedKey issue(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody IssueKeyRequest request) {
        Caller caller = Caller.from(jwt);
        requireActive(caller.requireCompanyId());
        String keyId = "key_" + UUID.randomUUID();
        String secret = secrets.newSecret();
        String prefix = ApiKeySecrets.prefix(secret);
        ApiKeyLimits limits = new ApiKeyLimits(
                request.models() == null ? List.of() : request.models().stream().distinct().toList(),
                request.rpm(), request.tpm(),
                request.monthlyBudget() == null ? null : Money.parseMicros(request.monthlyBudget()),
                request.expiresAt(), Boolean.TRUE.equals(request.responseCache()));
        commands.sendAndWait(new IssueApiKey(keyId, caller.requireCompanyId(), request.name(),
                ApiKeySecrets.hash(secret), prefix, limits, caller.memberId()));
        projections.awaitProjections(PROJECTION);
        return new IssuedKey(keyId, secret, request.name(), prefix, limits.models(), limits.rpm(),
                limits.tpm(), money(limits.monthlyBudgetMicros()), limits.expiresAt(), limits.responseCache(),
                ApiKeyStatus.ACTIVE);
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','DEVELOPER','VIEWER')")
    public KeyList list(@AuthenticationPrincipal Jwt jwt) {
        return new KeyList(keysOf(Caller.from(jwt).requireCompanyId()).stream().map(KeyLine::of).toList());
    }

    @PostMapping("/{id}/rotate")
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','DEVELOPER')")
    public RotatedKey rotate(@AuthenticationPrincipal Jwt jwt, @PathVariable @AllowedText(IDENTIFIER) String id,
                             @Valid @RequestBody(required = false) RotateKeyRequest request) {
        Caller caller = Caller.from(jwt);
        String companyId = caller.requireCompanyId();
        requireOwnKey(companyId, id);
        requireActive(companyId);
        long graceSeconds = request == null || request.graceSeconds() == null
                ? DEFAULT_GRACE.toSeconds() : request.graceSeconds();
        Instant previousValidUntil = Instant.now().plusSeconds(graceSeconds);
        String secret = secrets.newSecret();
        String prefix = ApiKeySecrets.prefix(secret);
        commands.sendAndWait(new RotateApiKey(id, companyId, ApiKeySecrets.hash(secret), prefix,
                previousValidUntil, caller.memberId()));
        projections.awaitProjections(PROJECTION);
        return new RotatedKey(id, secret, prefix, previousValidUntil);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasAnyRole('OWNER','ADMIN','DEVELOPER')")
    public void revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable @AllowedText(IDENTIFIER) String id) {
        Caller caller = Caller.from(jwt);
        String companyId = caller.requireCompanyId();
        requireOwnKey(companyId, id);
        commands.sendAndWait(new RevokeApiKey(id, companyId, caller.memberId()));
        projections.awaitProjections(PROJECTION);
    }

    /** Another company's key, or an id that is no key at all, must look alike and never reach an aggregate. */
    private void requireOwnKey(String companyId, String keyId) {
        if (keysOf(companyId).stream().noneMatch(key -> key.keyId().equals(keyId))) {
            throw new NotFoundException("no API key " + keyId);
        }
    }

    /**
     * Asked of the companies read model, which a suspension waits for before it answers: the key aggregate knows
     * nothing of its company, and the check is the same whichever node serves the request.
     */
    private void requireActive(String companyId) {
        boolean suspended = queries.query(new FindCompany(companyId), ResponseTypes.optionalInstanceOf(CompanyView.class))
                .join()
                .map(company -> company.status() == CompanyStatus.SUSPENDED)
                .orElse(false);
        if (suspended) {
            throw new ProblemException(HttpStatus.CONFLICT, "company_suspended",
                    "the company is suspended: its keys can be revoked, but none issued or rotated");
        }
    }

    private List<ApiKeyView> keysOf(String companyId) {
        return queries.query(new FindApiKeys(companyId), ResponseTypes.instanceOf(ApiKeyList.class)).join().keys();
    }

    private static String money(Long micros) {
        return micros == null ? null : Money.format(micros);
    }

    record IssueKeyRequest(@NotNull @AllowedText(DISPLAY_NAME) @Size(max = 100) String name,
                           @Size(max = 100) List<@NotNull @AllowedText(MODEL_ID) String> models,
                           @Positive Integer rpm,
                           @Positive Integer tpm,
                           @DecimalAmount String monthlyBudget,
                           @Future Instant expiresAt,
                           Boolean responseCache) {
    }

    record RotateKeyRequest(@PositiveOrZero @Max(MAX_GRACE_SECONDS) Long graceSeconds) {
    }

    record IssuedKey(String id, String secret, String name, String secretPrefix, List<String> models, Integer rpm,
                     Integer tpm, String monthlyBudget, Instant expiresAt, boolean responseCache,
                     ApiKeyStatus status) {
    }

    record RotatedKey(String id, String secret, String secretPrefix, Instant previousValidUntil) {
    }

    record KeyList(List<KeyLine> keys) {
    }

    record KeyLine(String id, String name, String secretPrefix, List<String> models, Integer rpm, Integer tpm,
                   String monthlyBudget, Instant expiresAt, boolean responseCache, ApiKeyStatus status,
                   Instant issuedAt, Instant rotatedAt, Instant revokedAt) {

        static KeyLine of(ApiKeyView view) {
            ApiKeyLimits limits = view.limits();
            return new KeyLine(view.keyId(), view.name(), view.secretPrefix(), limits.models(), limits.rpm(),
                    limits.tpm(), money(limits.monthlyBudgetMicros()), limits.expiresAt(), limits.responseCache(),
                    view.status(),
                    view.issuedAt(), view.rotatedAt(), view.revokedAt());
        }
    }
}
