package dev.aiagg.api.pricing;

import java.math.BigDecimal;
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
    void theMaximumChargeCountsTheWholePromptUncachedAndEveryCompletionToken() {
        // (1,000 × 0.15 + 4,096 × 0.60) = 2,607.6; × 1.2 = 3,129.12; × 92.5 = 289,443.6 → 289,444
        assertThat(ChargeCalculator.maxCharge(1_000, 4_096, GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                .isEqualTo(289_444);
        assertThat(ChargeCalculator.maxCharge(1_000, 4_096, GPT_4O_MINI, "USD", dec("20"), USD_RATE))
                .isGreaterThanOrEqualTo(ChargeCalculator.charge(new TokenUsage(1_000, 1_000, 4_096), GPT_4O_MINI,
                        "USD", dec("20"), USD_RATE));
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
