package dev.aiagg.api;

import dev.aiagg.api.Text.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTest {

    @Test
    void namesInAnyScriptAreTaken() {
        assertThat(Text.problem(Kind.DISPLAY_NAME, "ООО \"Ромашка\"")).isNull();
        assertThat(Text.problem(Kind.DISPLAY_NAME, "«Ромашка» & Co. — №1")).isNull();
        assertThat(Text.problem(Kind.DISPLAY_NAME, "Ёлки-палки\u00a0ЗАО")).isNull();
        assertThat(Text.problem(Kind.DISPLAY_NAME, "株式会社 😀")).isNull();
        assertThat(Text.problem(Kind.FREE_TEXT, "Возврат по счёту №42: двойное списание")).isNull();
        assertThat(Text.problem(Kind.EMAIL, "директор@ромашка.рф")).isNull();
        assertThat(Text.problem(Kind.EMAIL, "owner+billing@example.com")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\u0000name", "bell\u0007", "tab\there", "line\nbreak", "cr\rhere", "del\u007f",
            "c1\u0085next", "c1\u009b", "zero\u200bwidth", "rtl\u200fmark", "over\u202eride", "isolate\u2066x",
            "bom\ufeffx", "soft\u00adhyphen", "line\u2028sep", "para\u2029sep", "private\ue000use", "lone\ud800",
            "lone\udc00x", "unassigned\u0378"})
    void controlInvisibleAndBrokenCharactersAreRefusedInNames(String value) {
        assertThat(Text.problem(Kind.DISPLAY_NAME, value)).isNotNull();
        assertThat(Text.problem(Kind.FREE_TEXT, value)).isNotNull();
        assertThat(Text.problem(Kind.EMAIL, "a" + value + "@example.com")).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindRefusesNulEmptinessSurroundingWhitespaceAndExcess(Kind kind) {
        assertThat(Text.problem(kind, "a\u0000b")).isNotNull();
        assertThat(Text.problem(kind, null)).isEqualTo("is required");
        assertThat(Text.problem(kind, "")).isEqualTo("must not be empty");
        assertThat(Text.problem(kind, " a")).isEqualTo("must not start or end with whitespace");
        assertThat(Text.problem(kind, "a\u00a0")).isEqualTo("must not start or end with whitespace");
        assertThat(Text.problem(kind, "a".repeat(kind.maxLength() + 1)))
                .isEqualTo("must be at most " + kind.maxLength() + " characters long");
        assertThat(Text.problem(kind, "a".repeat(1_000_000))).contains("at most");
    }

    @Test
    void lengthsCountCharactersNotCodeUnits() {
        assertThat(Text.problem(Kind.DISPLAY_NAME, "😀".repeat(200))).isNull();
        assertThat(Text.problem(Kind.DISPLAY_NAME, "😀".repeat(201))).isNotNull();
        assertThat(Text.problem(Kind.DISPLAY_NAME, "Я".repeat(200))).isNull();
    }

    @Test
    void identifiersAreNarrowAscii() {
        assertThat(Text.problem(Kind.IDENTIFIER, "key_3f2a9c1e-7b5d-4e0a-9a63-2f1c0e5d8b7a")).isNull();
        assertThat(Text.problem(Kind.IDENTIFIER, "0:0:0:0:0:0:0:1")).isNull();
        assertThat(Text.problem(Kind.IDENTIFIER, "ключ")).isNotNull();
        assertThat(Text.problem(Kind.IDENTIFIER, "a/b")).isNotNull();
        assertThat(Text.problem(Kind.IDENTIFIER, "a b")).isNotNull();
        assertThat(Text.problem(Kind.MODEL_ID, "gpt-4o-mini")).isNull();
        assertThat(Text.problem(Kind.MODEL_ID, "-gpt")).isNotNull();
        assertThat(Text.problem(Kind.MODEL_ID, "openai/gpt-4o")).isNotNull();
        assertThat(Text.problem(Kind.UPSTREAM_MODEL, "meta-llama/llama-3.1-8b-instruct:free")).isNull();
        assertThat(Text.problem(Kind.UPSTREAM_MODEL, "claude-3-5-sonnet@20240620")).isNull();
        assertThat(Text.problem(Kind.UPSTREAM_MODEL, "/etc")).isNotNull();
        assertThat(Text.problem(Kind.REFERRAL_CODE, "ABCD2345")).isNull();
        assertThat(Text.problem(Kind.REFERRAL_CODE, "ABCD-2345")).isNotNull();
    }

    @Test
    void theCommandSideRefusalNamesTheField() {
        assertThatThrownBy(() -> Text.require(Kind.DISPLAY_NAME, "evil\u0000name", "name"))
                .isInstanceOf(DomainException.class)
                .hasMessageStartingWith("name may only contain")
                .satisfies(e -> assertThat(((DomainException) e).code()).isEqualTo("invalid_input"));
        assertThat(Text.requireOptional(Kind.IDENTIFIER, null, "operator")).isNull();
        assertThat(Text.require(Kind.IDENTIFIER, "op-1", "operator")).isEqualTo("op-1");
    }
}
