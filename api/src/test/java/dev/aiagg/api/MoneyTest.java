package dev.aiagg.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTest {

    @Test
    void readsAmountsExactly() {
        assertThat(Money.parseMicros("100.00")).isEqualTo(100_000_000L);
        assertThat(Money.parseMicros("0.000001")).isEqualTo(1L);
        assertThat(Money.parseMicros("-30.5")).isEqualTo(-30_500_000L);
        assertThat(Money.parseMicros("007")).isEqualTo(7_000_000L);
        assertThat(Money.parseMicros("9223372036854.775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Money.parseDecimal("0.15", false)).isEqualByComparingTo(new BigDecimal("0.15"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1E+20000000", "1e3", "1E3", "0x10", "+1", " 1", "1 ", "1 000", "1,5", "1.", ".5",
            "1.2.3", "--1", "-", "NaN", "Infinity", "١٢٣", "１２３", "1\u00002", "1.1234567", "99999999999999",
            "9223372036855", "9223372036854.775808"})
    void refusesEverythingButPlainDecimals(String text) {
        assertThatThrownBy(() -> Money.parseMicros(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMinusOnlyWhereANegativeIsAllowed() {
        assertThat(Money.parseDecimal("-1", true)).isEqualByComparingTo("-1");
        assertThatThrownBy(() -> Money.parseDecimal("-1", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.parseDecimal("-0", false)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The length is checked first: a megabyte of digits is refused without being read. */
    @Test
    void aHugeTextIsRefusedByItsLength() {
        assertThatThrownBy(() -> Money.parseMicros("9".repeat(1_000_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 13 digits");
        assertThatThrownBy(() -> Money.parseMicros("1E+20000000")).hasMessageContaining("no exponent");
    }
}
