package dev.aiagg.api.pricing;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeCalculatorTest {

    static final ModelPrices GPT_4O_MINI = prices("0.15", "0.075", "0.60");
    static final BigDecimal USD_RATE = new BigDecimal("92.5");

    @Test
    void chargesUncachedCachedAndCompletionTokensAtTheirPricesWithMarkupAndRate() {
        // (1,000 × 0.15 + 200 × 0.075 + 350 × 0.60) = 375 micro-USD; × 1.2 = 450; × 92.5 = 41,625 micro-roubles
        assertThat(ChargeCalculator.charge(new TokenUsage(1_200, 200, 350), GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                .isEqualTo(41_625);
    }

    @Test
    void aPriceInRoublesTakesNoRate() {
        // 1,000,000 × 100 + 500,000 × 300 = 250,000,000 micro-roubles, no markup
        assertThat(ChargeCalculator.charge(new TokenUsage(1_000_000, 0, 500_000), prices("100", "50", "300"), "RUB",
                BigDecimal.ZERO, BigDecimal.ONE)).isEqualTo(250_000_000);
    }

    @Test
    void roundsOnceHalfEvenToWholeMicroRoubles() {
        ModelPrices half = prices("0.5", "0", "0");
        assertThat(charge(1, half)).isEqualTo(0);
        assertThat(charge(3, half)).isEqualTo(2);
        assertThat(charge(5, half)).isEqualTo(2);
        assertThat(charge(7, half)).isEqualTo(4);
        ModelPrices justAboveHalf = prices("0.500001", "0", "0");
        assertThat(charge(1, justAboveHalf)).isEqualTo(1);
    }

    @Test
    void roundsTheWholeChargeNotItsParts() {
        // 0.4 + 0.4 = 0.8 rounds to 1; rounding each part first would give 0
        assertThat(ChargeCalculator.charge(new TokenUsage(1, 0, 1), prices("0.4", "0", "0.4"), "RUB",
                BigDecimal.ZERO, BigDecimal.ONE)).isEqualTo(1);
        // 3 × 0.5 × 1.5 × 0.5 = 1.125 rounds to 1; rounding the token cost first (1.5 → 2) would give 1.5 → 2
        assertThat(ChargeCalculator.charge(new TokenUsage(3, 0, 0), prices("0.5", "0", "0"), "USD", dec("50"),
                dec("0.5"))).isEqualTo(1);
    }

    @Test
    void appliesFractionalMarkupsAndRatesExactly() {
        // 2,500,000 micro-USD × 1.125 × 100.123456 = 281,597,220 micro-roubles
        assertThat(ChargeCalculator.charge(new TokenUsage(1_000_000, 0, 0), prices("2.5", "1.25", "10"), "USD",
                dec("12.5"), dec("100.123456"))).isEqualTo(281_597_220);
        // 7 × 0.000001 × 1.333333 = 0.000009333331 rounds to 0
        assertThat(ChargeCalculator.charge(new TokenUsage(7, 0, 0), prices("0.000001", "0", "0"), "RUB",
                dec("33.3333"), BigDecimal.ONE)).isZero();
    }

    @Test
    void theMaximumChargeCountsTheWholePromptAtTheDearestInputPriceAndEveryCompletionToken() {
        // The whole prompt may be written to the cache: 1,000 × 0.1875 (1.25 × 0.15) + 4,096 × 0.60 = 2,645.1;
        // × 1.2 = 3,174.12; × 92.5 = 293,606.1 → 293,606
        assertThat(ChargeCalculator.maxCharge(1_000, 4_096, GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                .isEqualTo(293_606);
        for (TokenUsage usage : List.of(new TokenUsage(1_000, 1_000, 0, 4_096), new TokenUsage(1_000, 0, 1_000, 4_096),
                new TokenUsage(1_000, 0, 0, 4_096), new TokenUsage(1_000, 400, 600, 4_096))) {
            assertThat(ChargeCalculator.maxCharge(1_000, 4_096, GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                    .isGreaterThanOrEqualTo(ChargeCalculator.charge(usage, GPT_4O_MINI, "USD", dec("20"), USD_RATE));
        }
        // A cache-write price below the input price leaves the input price the dearest.
        ModelPrices cheapWrites = new ModelPrices(dec("0.15"), dec("0.075"), dec("0.60"), dec("0.10"));
        assertThat(ChargeCalculator.maxCharge(1_000, 4_096, cheapWrites, "USD", dec("20"), USD_RATE))
                .isEqualTo(289_444);
    }

    @Test
    void aMaximumChargeBeyondWhatALongHoldsIsTheLargestLongNeverAnOverflow() {
        ModelPrices dear = prices("999999999", "0", "999999999");
        assertThat(ChargeCalculator.maxCharge(Long.MAX_VALUE, Long.MAX_VALUE, dear, "RUB", dec("999999999"),
                BigDecimal.ONE)).isEqualTo(Long.MAX_VALUE);
        assertThat(ChargeCalculator.maxCharge(9_223_372_036_854_775L, 0, prices("1000001", "0", "0"), "RUB",
                BigDecimal.ZERO, BigDecimal.ONE)).isEqualTo(Long.MAX_VALUE);
        // Just below the limit it is exact: 9,223,372,036,854 × 1,000,000 micro-roubles.
        ModelPrices million = new ModelPrices(dec("1000000"), dec("0"), dec("0"), dec("1000000"));
        assertThat(ChargeCalculator.maxCharge(9_223_372_036_854L, 0, million, "RUB", BigDecimal.ZERO, BigDecimal.ONE))
                .isEqualTo(9_223_372_036_854_000_000L);
        assertThatThrownBy(() -> ChargeCalculator.maxCharge(-1, 0, GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cacheWritesAreChargedAtTheCacheWritePrice() {
        // Claude Sonnet in USD: 500 plain × 3 + 200 read × 0.30 + 300 written × 3.75 + 100 × 15 = 4,185 micro-USD;
        // × 1.2 = 5,022; × 92.5 = 464,535 micro-roubles
        ModelPrices sonnet = new ModelPrices(dec("3"), dec("0.30"), dec("15"), dec("3.75"));
        assertThat(ChargeCalculator.charge(new TokenUsage(1_000, 200, 300, 100), sonnet, "USD", dec("20"), USD_RATE))
                .isEqualTo(464_535);
        // As plain input they would have cost 300 × 3 = 900 instead of 1,125 micro-USD.
        assertThat(ChargeCalculator.charge(new TokenUsage(1_000, 200, 0, 100), sonnet, "USD", dec("20"), USD_RATE))
                .isEqualTo(439_560);
    }

    @Test
    void aModelWithoutACacheWritePriceChargesCacheWritesAtOneAndAQuarterTimesTheInputPrice() {
        ModelPrices unset = prices("3", "0.30", "15");
        assertThat(unset.cacheWrite()).isNull();
        assertThat(unset.cacheWritePrice()).isEqualByComparingTo("3.75");
        assertThat(ChargeCalculator.charge(new TokenUsage(1_000, 200, 300, 100), unset, "USD", dec("20"), USD_RATE))
                .isEqualTo(464_535);
    }

    @Test
    void cacheWritesRoundOnceWithTheRestOfTheCharge() {
        // 1 × 0.4 + 1 × 0.45 = 0.85 rounds to 1; rounding each part first would give 0
        assertThat(ChargeCalculator.charge(new TokenUsage(2, 0, 1, 0), new ModelPrices(dec("0.4"), dec("0"),
                dec("0"), dec("0.45")), "RUB", BigDecimal.ZERO, BigDecimal.ONE)).isEqualTo(1);
        // 0.5 written rounds half-even to 0, 1.5 to 2
        assertThat(ChargeCalculator.charge(new TokenUsage(1, 0, 1, 0), new ModelPrices(dec("1"), dec("0"),
                dec("0"), dec("0.5")), "RUB", BigDecimal.ZERO, BigDecimal.ONE)).isZero();
        assertThat(ChargeCalculator.charge(new TokenUsage(3, 0, 3, 0), new ModelPrices(dec("1"), dec("0"),
                dec("0"), dec("0.5")), "RUB", BigDecimal.ZERO, BigDecimal.ONE)).isEqualTo(2);
    }

    @Test
    void noTokensCostNothing() {
        assertThat(ChargeCalculator.charge(new TokenUsage(0, 0, 0), GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                .isZero();
    }

    @Test
    void refusesImpossibleUsageAndRates() {
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(10, 11, 0), GPT_4O_MINI, "USD", dec("20"),
                USD_RATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(10, 6, 5, 0), GPT_4O_MINI, "USD", dec("20"),
                USD_RATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(10, 0, 11, 0), GPT_4O_MINI, "USD", dec("20"),
                USD_RATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(-1, 0, 0), GPT_4O_MINI, "USD", dec("20"),
                USD_RATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(1, 0, 0), GPT_4O_MINI, "USD", dec("-1"),
                USD_RATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(1, 0, 0), GPT_4O_MINI, "USD", dec("20"),
                BigDecimal.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(1, 0, 0), GPT_4O_MINI, "RUB", dec("20"),
                USD_RATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChargeCalculator.charge(new TokenUsage(Long.MAX_VALUE, 0, 0),
                prices("1000000", "0", "0"), "RUB", dec("0"), BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long charge(long promptTokens, ModelPrices prices) {
        return ChargeCalculator.charge(new TokenUsage(promptTokens, 0, 0), prices, "RUB", BigDecimal.ZERO,
                BigDecimal.ONE);
    }

    private static ModelPrices prices(String input, String cachedInput, String output) {
        return new ModelPrices(dec(input), dec(cachedInput), dec(output));
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }
}
