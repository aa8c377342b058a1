package dev.aiagg.gateway.llm;

import dev.aiagg.api.account.BalanceView;
import dev.aiagg.api.account.FindBalance;
import dev.aiagg.api.usage.FindUsage;
import dev.aiagg.api.usage.UsageGrouping;
import dev.aiagg.api.usage.UsageReport;
import dev.aiagg.api.usage.UsageRow;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.gateway.billing.Billing;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refuses a call whose key cannot pay even the smallest call before its request is counted, the heavy part of
 * admitting it: its company has nothing available, or its monthly budget is spent, and no hold of the key on this node
 * has room left. Reads the balance and the key's spending from the read models, each answer reused for
 * {@code aiagg.llm.read-model-cache-lifetime} like the key's grant, so a busy key costs no database round trip per
 * call. The ledger still decides every reservation: a read model behind it lets a call through to be refused there,
 * or refuses for that long a company that has just topped up.
 */
@Component
class BalanceGate {

    private static final Logger log = LoggerFactory.getLogger(BalanceGate.class);

    private final QueryGateway queries;
    private final Billing billing;
    private final Clock clock = Clock.systemUTC();
    private final ShortLivedCache<String, Long> available;
    private final ShortLivedCache<String, Long> spentThisMonth;

    BalanceGate(QueryGateway queries, Billing billing, LlmProperties properties) {
        this.queries = queries;
        this.billing = billing;
        this.available = new ShortLivedCache<>(properties.readModelCacheLifetime());
        this.spentThisMonth = new ShortLivedCache<>(properties.readModelCacheLifetime());
    }

    /** @throws LlmException 402 when the key's company or budget has nothing left for any call */
    void requireFunds(AuthenticatedKey key) {
        Long budget = key.limits() == null ? null : key.limits().monthlyBudgetMicros();
        boolean broke = available.get(key.companyId(), this::availableMicros) <= 0;
        boolean budgetSpent = !broke && budget != null && spentThisMonth.get(key.companyId() + "/" + key.keyId(),
                ignored -> spentMicros(key.companyId(), key.keyId())) >= budget;
        if ((broke || budgetSpent) && !billing.hasRoom(key)) {
            throw broke ? LlmException.balanceTooLow() : LlmException.budgetSpent();
        }
    }

    /** What the company can still reserve; when the read model cannot say, as if it could pay (the ledger decides). */
    private long availableMicros(String companyId) {
        try {
            return queries.query(new FindBalance(companyId), BalanceView.class).join().availableMicros();
        } catch (RuntimeException unknown) {
            log.debug("balance of {} not read before counting: {}", companyId, unknown.toString());
            return Long.MAX_VALUE;
        }
    }

    /** What the key's calls were charged in this UTC month, as the usage read model has it. */
    private long spentMicros(String companyId, String keyId) {
        LocalDate month = LocalDate.now(clock).withDayOfMonth(1);
        try {
            UsageReport usage = queries.query(new FindUsage(companyId, month.atStartOfDay().toInstant(ZoneOffset.UTC),
                    month.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC), UsageGrouping.KEY),
                    UsageReport.class).join();
            return usage.rows().stream().filter(row -> keyId.equals(row.group())).mapToLong(UsageRow::chargedMicros)
                    .sum();
        } catch (RuntimeException unknown) {
            log.debug("spending of key {} not read before counting: {}", keyId, unknown.toString());
            return 0;
        }
    }
}
