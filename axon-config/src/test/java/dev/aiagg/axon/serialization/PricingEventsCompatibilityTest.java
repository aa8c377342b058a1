package dev.aiagg.axon.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.api.account.ChargeDetails;
import dev.aiagg.api.pricing.ModelPriced;
import dev.aiagg.api.pricing.ModelPrices;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events stored before cache writes had a price still read, and new ones read back whole. */
class PricingEventsCompatibilityTest {

    private final ObjectMapper json = SerializationConfiguration.axonObjectMapper();

    @Test
    void aModelPricedBeforeCacheWritesHadAPriceReadsItAsUnset() throws Exception {
        ModelPriced stored = json.readValue("""
                {"modelId":"m","deployments":[{"provider":"anthropic","upstreamModel":"claude","priority":1,
                 "weight":1}],"prices":{"input":3,"cachedInput":0.30,"output":15},"currency":"USD",
                 "markupPercent":20,"defaultCompletionCap":null,"priceVersion":1,"definedBy":"op"}""",
                ModelPriced.class);

        assertThat(stored.prices().cacheWrite()).isNull();
        assertThat(stored.prices().cacheWritePrice()).isEqualByComparingTo("3.75");
    }

    @Test
    void aCacheWritePriceIsStoredAndReadBack() throws Exception {
        ModelPrices prices = new ModelPrices(new BigDecimal("3"), new BigDecimal("0.30"), new BigDecimal("15"),
                new BigDecimal("6"));
        ModelPriced event = new ModelPriced("m", List.of(), prices, "USD", BigDecimal.TEN, null, 2, "op");

        assertThat(json.readValue(json.writeValueAsString(event), ModelPriced.class)).isEqualTo(event);
    }

    @Test
    void chargeDetailsStoredBeforeCacheWritesCountedReadAsNone() throws Exception {
        ChargeDetails stored = json.readValue("""
                {"keyId":"k","model":"m","deployment":"anthropic/claude","promptTokens":1221,"cachedTokens":200,
                 "completionTokens":7,"reasoningTokens":0,"estimated":false,"cacheHit":false,"priceVersion":1,
                 "fxRate":1,"fxDate":"2026-11-25","latencyMillis":12,"outcome":"COMPLETED"}""", ChargeDetails.class);

        assertThat(stored.cacheWriteTokens()).isZero();
        assertThat(stored.promptTokens()).isEqualTo(1221);
        ChargeDetails written = new ChargeDetails("k", "m", "d", 1221, 200, 7, 0, false, false, 1, BigDecimal.ONE,
                LocalDate.parse("2026-11-25"), 12, "COMPLETED", 1000);
        assertThat(json.readValue(json.writeValueAsString(written), ChargeDetails.class)).isEqualTo(written);
    }
}
