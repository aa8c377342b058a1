package dev.aiagg.gateway.billing;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.Money;
import dev.aiagg.axon.correlation.CorrelationKeys;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.ProblemException;
import dev.aiagg.gateway.web.Problems;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators see the charges the ledger refused, have one charged again (against its hold, or the balance once the
 * hold is gone) or evict it once it has been dealt with otherwise (an adjustment, say).
 */
@RestController
@RequestMapping("/api/admin/charge-dead-letters")
@PreAuthorize("hasRole('PLATFORM_ADMIN')")
class ChargeDeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(ChargeDeadLetterController.class);
    private static final String REQUEST_ID = "[A-Za-z0-9_.:-]{1,128}";

    private final JdbcChargeDeadLetters letters;
    private final Ledger ledger;
    private final BillingProperties properties;

    ChargeDeadLetterController(JdbcChargeDeadLetters letters, Ledger ledger, BillingProperties properties) {
        this.letters = letters;
        this.ledger = ledger;
        this.properties = properties;
    }

    @GetMapping
    public LetterPage list(@RequestParam(defaultValue = "0") @Min(0) int offset,
                           @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        List<LetterView> page = letters.list(offset, limit).stream().map(LetterView::of).toList();
        letters.count();
        return new LetterPage(page, offset, limit);
    }

    /** Sends the charge to the ledger again; one refused again stays, with the new reason and one more attempt. */
    @PostMapping("/{requestId}/retry")
    public RetryResult retry(@AuthenticationPrincipal Jwt jwt,
                             @PathVariable @Pattern(regexp = REQUEST_ID) String requestId) {
        RefusedCharge letter = require(requestId).refused();
        try (var correlation = MDC.putCloseable(CorrelationKeys.CORRELATION_ID, requestId)) {
            ledger.charge(letter.companyId(), letter.holdId(), List.of(letter.charge()))
                    .get(properties.ledgerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException failed) {
            DomainException refusal = Ledger.refusal(failed);
            if (refusal == null) {
                throw new BillingUnavailableException("The ledger is unavailable; please retry.", Duration.ofSeconds(5));
            }
            letters.keep(new RefusedCharge(letter.companyId(), letter.holdId(), letter.charge(), refusal.code(),
                    refusal.getMessage(), Instant.now()));
            throw new ProblemException(HttpStatus.CONFLICT, "charge_refused",
                    "The ledger refused the charge again: " + refusal.getMessage());
        } catch (TimeoutException slow) {
            throw new BillingUnavailableException("The ledger is unavailable; please retry.", Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingUnavailableException("Interrupted while waiting for the ledger.", Duration.ofSeconds(5));
        }
        letters.remove(requestId);
        log.info("dead-lettered charge of request {} charged again by operator {}", requestId,
                Caller.from(jwt).memberId());
        return new RetryResult(requestId, "charged");
    }

    @DeleteMapping("/{requestId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void evict(@AuthenticationPrincipal Jwt jwt, @PathVariable @Pattern(regexp = REQUEST_ID) String requestId) {
        RefusedCharge letter = require(requestId).refused();
        letters.remove(requestId);
        log.warn("dead-lettered charge of request {} ({} micro-roubles, account {}) evicted uncharged by operator {}",
                requestId, letter.charge().costMicros(), letter.accountId(), Caller.from(jwt).memberId());
    }

    @ExceptionHandler(BillingUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(BillingUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "ledger_unavailable", e.getMessage()));
    }

    private JdbcChargeDeadLetters.Letter require(String requestId) {
        return letters.find(requestId).orElseThrow(() ->
                new ProblemException(HttpStatus.NOT_FOUND, "not_found", "no dead-lettered charge " + requestId));
    }

    record LetterPage(List<LetterView> deadLetters, int offset, int limit) {
    }

    /** @param cost in roubles, as every amount of the API */
    record LetterView(String requestId, String companyId, String accountId, String holdId, String cost,
                      String description, String code, String reason, Instant refusedAt, int attempts) {

        static LetterView of(JdbcChargeDeadLetters.Letter letter) {
            RefusedCharge refused = letter.refused();
            return new LetterView(refused.charge().requestId(), refused.companyId(), refused.accountId(),
                    refused.holdId(), Money.format(refused.charge().costMicros()), refused.charge().description(),
                    refused.code(), refused.reason(), refused.refusedAt(), letter.attempts());
        }
    }

    record RetryResult(String requestId, String outcome) {
    }
}
