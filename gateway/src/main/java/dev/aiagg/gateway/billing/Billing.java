package dev.aiagg.gateway.billing;

import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import dev.aiagg.api.account.ChargeDetails;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.pricing.ChargeCalculator;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.api.pricing.TokenUsage;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.proxy.CallOutcome;
import dev.aiagg.proxy.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import org.springframework.stereotype.Component;

/**
 * Charges a call through the ledger: the most it can cost is drawn from a hold the ledger granted before the
 * provider is called (so no company spends past its limit), and the exact cost from the usage is charged once the
 * call has ended, under the call's request id, so a repeated charge is a no-op: every call is charged exactly once.
 * {@link CallHolds} keeps the holds and sends the charges.
 */
@Component
public class Billing {

    private static final String RESPONSE_CACHE = "cache/response-cache";

    private final CallHolds holds;
    private final BillingProperties properties;

    Billing(CallHolds holds, BillingProperties properties) {
        this.holds = holds;
        this.properties = properties;
    }

    /** A call covered by a hold, with the prices it will be charged at. */
    public record Call(String requestId, AuthenticatedKey key, ModelView model, BigDecimal fxRate, LocalDate fxDate,
                CallHolds.Draw draw) {
    }

    /**
     * Covers a call's maximum cost by a hold of its key.
     *
     * @throws InsufficientFundsException  when the account cannot cover even this one call
     * @throws KeyBudgetExceededException  when the key's monthly budget cannot
     * @throws BillingUnavailableException when this node admits no call now (see {@link #requireAdmitting()}), or
     *                                     the ledger did not answer in time
     * @param completionTokens the most completion tokens the call may be billed for: its cap times its choices
     */
    public Call reserve(AuthenticatedKey key, ModelView model, String requestId, long promptTokens,
                        long completionTokens) {
        BigDecimal fxRate = fxRate(model.currency());
        long amount = Math.max(1, ChargeCalculator.maxCharge(promptTokens, completionTokens, model.prices(),
                model.currency(), model.markupPercent(), fxRate));
        if (amount == Long.MAX_VALUE) {
            // A bound past what any ledger holds: no balance covers it, so the ledger is not asked.
            throw new InsufficientFundsException(amount, 0);
        }
        Long budget = key.limits() == null ? null : key.limits().monthlyBudgetMicros();
        return new Call(requestId, key, model, fxRate, properties.usdRubRateDate(),
                holds.draw(key.companyId(), key.keyId(), budget, amount));
    }

    /**
     * Charges what the call used. A call that failed before generating anything costs nothing, and is charged
     * nothing under its request id, so that it shows among the failed requests of the usage report.
     */
    public void finish(Call call, CallOutcome outcome) {
        String deployment = outcome.deployment() == null ? "unknown" : outcome.deployment().id();
        boolean failed = outcome.status() == CallOutcome.Status.FAILED;
        holds.charge(call.draw(), new CallCharge(call.requestId(), failed ? 0 : cost(call, outcome.usage()),
                call.model().modelId() + (failed ? " failed at " : " via ") + deployment,
                details(call, outcome.usage(), deployment, false, outcome.latency().toMillis(),
                        outcome.status().name())));
    }

    /**
     * Lets a call be worked on only while this node admits calls: it is not shutting down, and the ledger is not
     * behind with the charges of earlier calls.
     *
     * @throws BillingUnavailableException otherwise
     */
    public void requireAdmitting() {
        holds.requireAdmitting();
    }

    /** True when an open hold of the key on this node still has room for some call. */
    public boolean hasRoom(AuthenticatedKey key) {
        return holds.hasRoom(key.companyId(), key.keyId(),
                key.limits() == null ? null : key.limits().monthlyBudgetMicros());
    }

    /** From now on no call is admitted: this node is shutting down. */
    public void stopAdmitting() {
        holds.stopAdmitting();
    }

    /** Calls covered and not yet finished or released. */
    public int callsInFlight() {
        return holds.callsInFlight();
    }

    /** The call was refused after it was covered: nothing was generated, nothing is charged. */
    public void release(Call call) {
        holds.giveBack(call.draw());
    }

    /**
     * A call answered from the response cache: charged the configured share of what the call cost the first time
     * (free by default), rounded half-even to whole micro-roubles.
     */
    public void finishFromCache(Call call, Usage usage) {
        long cost = properties.cacheHitRate().signum() == 0 ? 0
                : properties.cacheHitRate().multiply(BigDecimal.valueOf(cost(call, usage)))
                        .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        holds.charge(call.draw(), new CallCharge(call.requestId(), cost,
                call.model().modelId() + " from the response cache",
                details(call, usage, RESPONSE_CACHE, true, 0, CallOutcome.Status.COMPLETED.name())));
    }

    long cost(Call call, Usage usage) {
        // A provider's figures are not trusted to be consistent: a charge must never fail on them.
        long prompt = Math.max(0, usage.promptTokens());
        long cached = Math.min(prompt, Math.max(0, usage.cachedTokens()));
        long cacheWrite = Math.min(prompt - cached, Math.max(0, usage.cacheWriteTokens()));
        return ChargeCalculator.charge(new TokenUsage(prompt, cached, cacheWrite,
                        Math.max(0, usage.completionTokens())),
                call.model().prices(), call.model().currency(), call.model().markupPercent(), call.fxRate());
    }

    private ChargeDetails details(Call call, Usage usage, String deployment, boolean cacheHit, long latencyMillis,
                                  String outcome) {
        return new ChargeDetails(call.key().keyId(), call.model().modelId(), deployment,
                usage.promptTokens(), usage.cachedTokens(), usage.completionTokens(), usage.reasoningTokens(),
                usage.estimated(), cacheHit, call.model().priceVersion(), call.fxRate(), call.fxDate(),
                latencyMillis, outcome, usage.cacheWriteTokens());
    }

    private BigDecimal fxRate(String currency) {
        return "USD".equals(currency) ? properties.usdRubRate() : BigDecimal.ONE;
    }
}
