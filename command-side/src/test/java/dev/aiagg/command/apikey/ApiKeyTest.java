package dev.aiagg.command.apikey;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.apikey.ApiKeyIssued;
import dev.aiagg.api.apikey.ApiKeyLimits;
import dev.aiagg.api.apikey.ApiKeyRevoked;
import dev.aiagg.api.apikey.ApiKeyRotated;
import dev.aiagg.api.apikey.IssueApiKey;
import dev.aiagg.api.apikey.RevokeApiKey;
import dev.aiagg.api.apikey.RotateApiKey;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.aiagg.command.Refusals.refusedWith;

class ApiKeyTest {

    static final String KEY = "key-1";
    static final String COMPANY = "company-1";
    static final String HASH = "a".repeat(64);
    static final String NEW_HASH = "0123456789abcdef".repeat(4);
    static final Instant GRACE_END = Instant.parse("2026-03-02T12:00:00Z");
    static final ApiKeyLimits LIMITS = new ApiKeyLimits(List.of("gpt-4o-mini"), 60, 100_000, 5_000_000_000L,
            Instant.parse("2027-01-01T00:00:00Z"), true);
    static final ApiKeyLimits NO_LIMITS = new ApiKeyLimits(List.of(), null, null, null, null, false);

    final AggregateTestFixture<ApiKey> fixture = new AggregateTestFixture<>(ApiKey.class);

    static IssueApiKey issue(String name, String secretHash, ApiKeyLimits limits) {
        return new IssueApiKey(KEY, COMPANY, name, secretHash, "sk-ab12", limits, "owner-1");
    }

    static ApiKeyIssued issued() {
        return new ApiKeyIssued(KEY, COMPANY, "ci", HASH, "sk-ab12", LIMITS, "owner-1");
    }

    static RotateApiKey rotate(String companyId, String newSecretHash) {
        return new RotateApiKey(KEY, companyId, newSecretHash, "sk-cd34", GRACE_END, "owner-1");
    }

    @Nested
    class IssuingAKey {

        @Test
        void issuesAKeyWithItsLimits() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", HASH, LIMITS))
                    .expectEvents(issued());
        }

        @Test
        void aKeyWithoutLimitsHasNone() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", HASH, null))
                    .expectEvents(new ApiKeyIssued(KEY, COMPANY, "ci", HASH, "sk-ab12", NO_LIMITS, "owner-1"));
        }

        @Test
        void requiresAName() {
            fixture.givenNoPriorActivity()
                    .when(issue(" ", HASH, LIMITS))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void takesANameInCyrillic() {
            fixture.givenNoPriorActivity()
                    .when(issue("Бухгалтерия «Ромашки»", HASH, LIMITS))
                    .expectEvents(new ApiKeyIssued(KEY, COMPANY, "Бухгалтерия «Ромашки»", HASH, "sk-ab12", LIMITS,
                            "owner-1"));
        }

        @Test
        void refusesANameWithControlOrBidiCharacters() {
            for (String name : List.of("evil\u0000name", "tab\tname", "c1\u0085", "admin\u202egnp.exe", "a\u2066b",
                    "\ufeffname", " padded ")) {
                fixture.givenNoPriorActivity()
                        .when(issue(name, HASH, LIMITS))
                        .expectException(refusedWith("invalid_input"))
                        .expectNoEvents();
            }
        }

        @Test
        void refusesAModelIdWithAControlCharacter() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", HASH, new ApiKeyLimits(List.of("gpt-4o-mini", "gpt\u0000"), null, null, null,
                            null, false)))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void refusesARawSecretInPlaceOfItsHash() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", "sk-live-0123456789abcdef0123456789abcdef", LIMITS))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void refusesAnUppercaseHash() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", "A".repeat(64), LIMITS))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void refusesAHashOfTheWrongLength() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", "a".repeat(63), LIMITS))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void refusesARateLimitThatIsNotPositive() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", HASH, new ApiKeyLimits(List.of(), 0, null, null, null, false)))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void refusesATokenLimitThatIsNotPositive() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", HASH, new ApiKeyLimits(List.of(), null, -1, null, null, false)))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void refusesAMonthlyBudgetThatIsNotPositive() {
            fixture.givenNoPriorActivity()
                    .when(issue("ci", HASH, new ApiKeyLimits(List.of(), null, null, 0L, null, false)))
                    .expectException(refusedWith("invalid_input"));
        }
    }

    @Nested
    class RotatingAKey {

        @Test
        void replacesTheSecretAndKeepsThePreviousOneForAGracePeriod() {
            fixture.given(issued())
                    .when(rotate(COMPANY, NEW_HASH))
                    .expectEvents(new ApiKeyRotated(KEY, COMPANY, NEW_HASH, "sk-cd34", HASH, GRACE_END, "owner-1"));
        }

        @Test
        void aSecondRotationNamesTheSecretOfTheFirstAsPrevious() {
            String third = "f".repeat(64);
            fixture.given(issued(), new ApiKeyRotated(KEY, COMPANY, NEW_HASH, "sk-cd34", HASH, GRACE_END, "owner-1"))
                    .when(rotate(COMPANY, third))
                    .expectEvents(new ApiKeyRotated(KEY, COMPANY, third, "sk-cd34", NEW_HASH, GRACE_END, "owner-1"));
        }

        @Test
        void anotherCompanysKeyIsNotFound() {
            fixture.given(issued())
                    .when(rotate("company-2", NEW_HASH))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void aKeyThatDoesNotExistIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(rotate(COMPANY, NEW_HASH))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void aRevokedKeyCannotBeRotated() {
            fixture.given(issued(), new ApiKeyRevoked(KEY, COMPANY, "owner-1"))
                    .when(rotate(COMPANY, NEW_HASH))
                    .expectException(refusedWith("key_revoked"))
                    .expectNoEvents();
        }

        @Test
        void refusesANewSecretThatIsNotAHash() {
            fixture.given(issued())
                    .when(rotate(COMPANY, "sk-live-new-secret"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void requiresTheEndOfTheGracePeriod() {
            fixture.given(issued())
                    .when(new RotateApiKey(KEY, COMPANY, NEW_HASH, "sk-cd34", null, "owner-1"))
                    .expectException(refusedWith("invalid_input"));
        }
    }

    @Nested
    class RevokingAKey {

        @Test
        void revokesAnActiveKey() {
            fixture.given(issued())
                    .when(new RevokeApiKey(KEY, COMPANY, "owner-1"))
                    .expectEvents(new ApiKeyRevoked(KEY, COMPANY, "owner-1"));
        }

        @Test
        void revokingARevokedKeyChangesNothing() {
            fixture.given(issued(), new ApiKeyRevoked(KEY, COMPANY, "owner-1"))
                    .when(new RevokeApiKey(KEY, COMPANY, "admin-2"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void anotherCompanysKeyIsNotFound() {
            fixture.given(issued())
                    .when(new RevokeApiKey(KEY, "company-2", "intruder"))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }
    }
}
