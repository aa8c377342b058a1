package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.api.apikey.ApiKeyLimits;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.proxy.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class BillingTest {

    private static final ModelView MODEL = new ModelView("m", List.of(new ModelDeployment("openai", "x", 1, 1)),
            new ModelPrices(new BigDecimal("100"), new BigDecimal("50"), new BigDecimal("300")), "RUB",
            BigDecimal.ZERO, null, 1, Instant.parse("2026-11-26T00:00:00Z"));
    private static final Billing.Call CALL = new Billing.Call("req_1",
            new AuthenticatedKey("key_1", "cmp_1", "k", new ApiKeyLimits(List.of(), null, null, null, null, false)),
            MODEL, BigDecimal.ONE, LocalDate.parse("2026-11-25"), null);

    private final Billing billing = new Billing(null, new BillingProperties(Duration.ofSeconds(20),
            Duration.ofMinutes(15), 32, Duration.ofSeconds(2), Duration.ofMillis(10), 100_000, Duration.ofSeconds(5),
            new BigDecimal("82.1665"), LocalDate.parse("2026-11-25"), BigDecimal.ZERO));

    @Test
    void theCostFollowsThePriceRule() {
        // (10 - 4) × 100 + 4 × 50 + 20 × 300 = 6,800 roubles per million tokens = 0.0068 RUB.
        assertThat(billing.cost(CALL, new Usage(10, 4, 0, 20, 0, false, null))).isEqualTo(6_800);
    }

    @Test
    void cacheWritesAreChargedAtTheCacheWritePrice() {
        // No cache-write price set: 1.25 × 100. (10 - 2 - 4) × 100 + 2 × 50 + 4 × 125 + 20 × 300 = 7,000.
        assertThat(billing.cost(CALL, new Usage(10, 2, 4, 20, 0, false, null))).isEqualTo(7_000);
    }

    @Test
    void inconsistentProviderFiguresAreChargedSafelyInsteadOfFailing() {
        assertThat(billing.cost(CALL, new Usage(10, 4, 40, 20, 0, false, null)))
                .as("more cache writes than uncached prompt tokens: the six left at the cache-write price")
                .isEqualTo(4 * 50 + 6 * 125 + 20 * 300);
        assertThat(billing.cost(CALL, new Usage(10, 40, 0, 20, 0, false, null)))
                .as("more cached than prompt tokens: all ten at the cached price").isEqualTo(10 * 50 + 20 * 300);
        assertThat(billing.cost(CALL, new Usage(-5, 0, 0, 20, 0, false, null))).isEqualTo(20 * 300);
    }
}
