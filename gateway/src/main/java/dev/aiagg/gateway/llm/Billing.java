package dev.aiagg.gateway.llm;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.ChargeDetails;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudget;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.account.ReleaseReservation;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.api.pricing.ChargeCalculator;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.api.pricing.TokenUsage;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.proxy.CallOutcome;
import dev.aiagg.proxy.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Charges a call through the ledger: the most it can cost is reserved before the provider is called (so no company
 * spends past its limit), and the exact cost from the usage is settled once the call has ended. The request id is
 * the reservation's id, so a repeated settle is a no-op: every call is charged exactly once.
 */
@Component
class Billing {

    private static final Logger log = LoggerFactory.getLogger(Billing.class);
    private static final String RESPONSE_CACHE = "cache/response-cache";

    private final CommandGateway commands;
    private final LlmProperties properties;
    private final Clock clock = Clock.systemUTC();

    Billing(CommandGateway commands, LlmProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    /** A reservation made for one call, with the prices it will be charged at. */
    record Hold(String requestId, AuthenticatedKey key, ModelView model, BigDecimal fxRate, LocalDate fxDate,
                long reservedMicros) {
    }

    Hold reserve(AuthenticatedKey key, ModelView model, String requestId, long promptTokens, long completionCap) {
        BigDecimal fxRate = fxRate(model.currency());
        long amount = Math.max(1, ChargeCalculator.maxCharge(promptTokens, completionCap, model.prices(),
                model.currency(), model.markupPercent(), fxRate));
        Instant now = clock.instant();
        Long budget = key.limits() == null ? null : key.limits().monthlyBudgetMicros();
        KeyBudget keyBudget = budget == null ? null
                : new KeyBudget(key.keyId(), budget, YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString());
        try {
            commands.sendAndWait(new ReserveFunds(AccountId.of(key.companyId()), key.companyId(), requestId, amount,
                    now.plus(properties.reservationTtl()), keyBudget));
        } catch (KeyBudgetExceededException e) {
            throw new LlmException(402, "insufficient_quota", "insufficient_quota",
                    "This API key has spent its monthly budget.");
        } catch (InsufficientFundsException e) {
            throw new LlmException(402, "insufficient_quota", "insufficient_quota",
                    "You exceeded your current quota: the balance does not cover this request. Top up to go on.");
        }
        return new Hold(requestId, key, model, fxRate, properties.usdRubRateDate(), amount);
    }

    /** Settles (or, when nothing was generated, releases) the hold; does not hold up the response. */
    void finish(Hold hold, CallOutcome outcome) {
        String accountId = AccountId.of(hold.key().companyId());
        Object command;
        if (outcome.status() == CallOutcome.Status.FAILED) {
            command = new ReleaseReservation(accountId, hold.requestId(),
                    "provider call failed: " + (outcome.error() == null ? "unknown" : outcome.error().getMessage()));
        } else {
            String deployment = outcome.deployment() == null ? "unknown" : outcome.deployment().id();
            command = new SettleReservation(accountId, hold.requestId(), cost(hold, outcome.usage()),
                    hold.model().modelId() + " via " + deployment,
                    details(hold, outcome.usage(), deployment, false, outcome.latency().toMillis(),
                            outcome.status().name()));
        }
        send(command, hold);
    }

    private void send(Object command, Hold hold) {
        commands.send(command).whenComplete((result, failure) -> {
            if (failure != null) {
                // The hold stays and expires by its deadline; the log names the request to charge by hand.
                log.error("could not close the reservation of request {}", hold.requestId(), failure);
            }
        });
    }

    /** The call was refused after the hold was made: nothing was generated, nothing is charged. */
    void release(Hold hold, String reason) {
        send(new ReleaseReservation(AccountId.of(hold.key().companyId()), hold.requestId(), reason), hold);
    }

    /**
     * A call answered from the response cache: charged the configured share of what the call cost the first time
     * (free by default), rounded half-even to whole micro-roubles.
     */
    void finishFromCache(Hold hold, Usage usage) {
        long cost = properties.cacheHitRate().signum() == 0 ? 0
                : properties.cacheHitRate().multiply(BigDecimal.valueOf(cost(hold, usage)))
                        .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        send(new SettleReservation(AccountId.of(hold.key().companyId()), hold.requestId(), cost,
                hold.model().modelId() + " from the response cache",
                details(hold, usage, RESPONSE_CACHE, true, 0, CallOutcome.Status.COMPLETED.name())), hold);
    }

    long cost(Hold hold, Usage usage) {
        // A provider's figures are not trusted to be consistent: a charge must never fail on them.
        long prompt = Math.max(0, usage.promptTokens());
        long cached = Math.min(prompt, Math.max(0, usage.cachedTokens()));
        return ChargeCalculator.charge(new TokenUsage(prompt, cached, Math.max(0, usage.completionTokens())),
                hold.model().prices(), hold.model().currency(), hold.model().markupPercent(), hold.fxRate());
    }

    private ChargeDetails details(Hold hold, Usage usage, String deployment, boolean cacheHit, long latencyMillis,
                                  String outcome) {
        return new ChargeDetails(hold.key().keyId(), hold.model().modelId(), deployment,
                usage.promptTokens(), usage.cachedTokens(), usage.completionTokens(), usage.reasoningTokens(),
                usage.estimated(), cacheHit, hold.model().priceVersion(), hold.fxRate(), hold.fxDate(),
                latencyMillis, outcome);
    }

    private BigDecimal fxRate(String currency) {
        return "USD".equals(currency) ? properties.usdRubRate() : BigDecimal.ONE;
    }
}
