package dev.aiagg.query.apikey;

import dev.aiagg.api.apikey.ApiKeyGrant;
import dev.aiagg.api.apikey.ApiKeyIssued;
import dev.aiagg.api.apikey.ApiKeyLimits;
import dev.aiagg.api.apikey.ApiKeyRevoked;
import dev.aiagg.api.apikey.ApiKeyRotated;
import dev.aiagg.api.apikey.ApiKeyStatus;
import dev.aiagg.api.apikey.ApiKeyView;
import dev.aiagg.api.apikey.FindApiKeyBySecretHash;
import dev.aiagg.api.apikey.FindApiKeys;
import dev.aiagg.api.company.CompanyReactivated;
import dev.aiagg.api.company.CompanyRegistered;
import dev.aiagg.api.company.CompanySuspended;
import dev.aiagg.query.QueryDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyProjectionTest {

    private static final String COMPANY = "cmp_keys";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final ApiKeyLimits LIMITS = new ApiKeyLimits(List.of("gpt-4o", "claude-sonnet-4"), 60, 100_000,
            5_000_000_000L, Instant.parse("2027-01-01T00:00:00Z"), true);
    private static final ApiKeyLimits NO_LIMITS = new ApiKeyLimits(List.of(), null, null, null, null, false);

    private final ApiKeyProjection projection = new ApiKeyProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void anIssuedKeyIsListedWithItsLimitsButNoHash() {
        registerCompany(COMPANY);
        issue("key_1", "hash_1", LIMITS, 0, T0);

        assertThat(projection.handle(new FindApiKeys(COMPANY)).keys()).containsExactly(
                new ApiKeyView("key_1", COMPANY, "key key_1", "sk-aiagg-ke", LIMITS, ApiKeyStatus.ACTIVE, T0,
                        null, null));
    }

    @Test
    void keysAreListedNewestFirstAndOnlyForTheirCompany() {
        issue("key_old", "hash_old", NO_LIMITS, 0, T0);
        issue("key_new", "hash_new", NO_LIMITS, 0, T0.plusSeconds(60));
        issue("key_mid", "hash_mid", NO_LIMITS, 0, T0.plusSeconds(30));
        projection.on(new ApiKeyIssued("key_foreign", "cmp_other", "x", "hash_x", "sk-aiagg-xx", NO_LIMITS, "m"),
                0, T0.plusSeconds(90));

        assertThat(projection.handle(new FindApiKeys(COMPANY)).keys()).extracting(ApiKeyView::keyId)
                .containsExactly("key_new", "key_mid", "key_old");
        assertThat(projection.handle(new FindApiKeys("cmp_none")).keys()).isEmpty();
    }

    @Test
    void theCurrentSecretGrantsTheKey() {
        registerCompany(COMPANY);
        issue("key_1", "hash_1", LIMITS, 0, T0);

        assertThat(grant("hash_1", T0.plusSeconds(1))).contains(
                new ApiKeyGrant("key_1", COMPANY, "key key_1", ApiKeyStatus.ACTIVE, false, LIMITS));
        assertThat(grant("hash_unknown", T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void aRotatedOutSecretWorksOnlyWhileItsGracePeriodLasts() {
        issue("key_1", "hash_1", NO_LIMITS, 0, T0);
        Instant graceEnd = T0.plus(java.time.Duration.ofHours(1));
        projection.on(new ApiKeyRotated("key_1", COMPANY, "hash_2", "sk-aiagg-r2", "hash_1", graceEnd, "m"), 1,
                T0.plusSeconds(10));

        assertThat(grant("hash_2", graceEnd.plusSeconds(3600))).map(ApiKeyGrant::keyId).contains("key_1");
        assertThat(grant("hash_1", graceEnd.minusMillis(1))).map(ApiKeyGrant::keyId).contains("key_1");
        assertThat(grant("hash_1", graceEnd)).isEmpty();
        assertThat(grant("hash_1", graceEnd.plusSeconds(1))).isEmpty();

        ApiKeyView listed = projection.handle(new FindApiKeys(COMPANY)).keys().get(0);
        assertThat(listed.secretPrefix()).isEqualTo("sk-aiagg-r2");
        assertThat(listed.rotatedAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aSecondRotationEndsTheFirstSecretsGraceAtOnce() {
        issue("key_1", "hash_1", NO_LIMITS, 0, T0);
        Instant graceEnd = T0.plusSeconds(3600);
        projection.on(new ApiKeyRotated("key_1", COMPANY, "hash_2", "p2", "hash_1", graceEnd, "m"), 1, T0);
        projection.on(new ApiKeyRotated("key_1", COMPANY, "hash_3", "p3", "hash_2", graceEnd, "m"), 2, T0);

        assertThat(grant("hash_1", T0)).isEmpty();
        assertThat(grant("hash_2", T0)).isPresent();
        assertThat(grant("hash_3", T0)).isPresent();
    }

    @Test
    void aRevokedKeyStillAnswersSoTheRefusalCanSayWhy() {
        issue("key_1", "hash_1", NO_LIMITS, 0, T0);
        projection.on(new ApiKeyRevoked("key_1", COMPANY, "m"), 1, T0.plusSeconds(5));

        assertThat(grant("hash_1", T0.plusSeconds(6))).map(ApiKeyGrant::status).contains(ApiKeyStatus.REVOKED);
        ApiKeyView listed = projection.handle(new FindApiKeys(COMPANY)).keys().get(0);
        assertThat(listed.status()).isEqualTo(ApiKeyStatus.REVOKED);
        assertThat(listed.revokedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aGrantTellsWhetherTheCompanyIsSuspended() {
        registerCompany(COMPANY);
        issue("key_1", "hash_1", NO_LIMITS, 0, T0);

        projection.on(new CompanySuspended(COMPANY, "unpaid", "op"), 1);
        assertThat(grant("hash_1", T0)).map(ApiKeyGrant::companySuspended).contains(true);

        projection.on(new CompanyReactivated(COMPANY, "op"), 2);
        assertThat(grant("hash_1", T0)).map(ApiKeyGrant::companySuspended).contains(false);
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        registerCompany(COMPANY);
        issue("key_1", "hash_1", NO_LIMITS, 0, T0);
        ApiKeyRotated rotated = new ApiKeyRotated("key_1", COMPANY, "hash_2", "p2", "hash_1", T0.plusSeconds(60), "m");
        projection.on(rotated, 1, T0.plusSeconds(1));
        projection.on(new ApiKeyRevoked("key_1", COMPANY, "m"), 2, T0.plusSeconds(2));
        projection.on(new CompanySuspended(COMPANY, "unpaid", "op"), 1);
        List<Map<String, Object>> keys = QueryDatabase.rows("api_key", "key_id");
        List<Map<String, Object>> companies = QueryDatabase.rows("api_key_company", "company_id");

        registerCompany(COMPANY);
        issue("key_1", "hash_1", NO_LIMITS, 0, T0);
        projection.on(rotated, 1, T0.plusSeconds(1));
        projection.on(new CompanySuspended(COMPANY, "unpaid", "op"), 1);

        assertThat(QueryDatabase.rows("api_key", "key_id")).isEqualTo(keys);
        assertThat(QueryDatabase.rows("api_key_company", "company_id")).isEqualTo(companies);
        assertThat(grant("hash_2", T0)).map(ApiKeyGrant::status).contains(ApiKeyStatus.REVOKED);
    }

    @Test
    void resetEmptiesTheTablesAndAReplayRebuildsIdenticalRows() {
        Runnable events = () -> {
            registerCompany(COMPANY);
            issue("key_1", "hash_1", LIMITS, 0, T0);
            issue("key_2", "hash_2", NO_LIMITS, 0, T0.plusSeconds(1));
            projection.on(new ApiKeyRotated("key_1", COMPANY, "hash_3", "p3", "hash_1", T0.plusSeconds(60), "m"),
                    1, T0.plusSeconds(2));
            projection.on(new ApiKeyRevoked("key_2", COMPANY, "m"), 1, T0.plusSeconds(3));
            projection.on(new CompanySuspended(COMPANY, "unpaid", "op"), 1);
        };
        events.run();
        List<Map<String, Object>> keys = QueryDatabase.rows("api_key", "key_id");
        List<Map<String, Object>> companies = QueryDatabase.rows("api_key_company", "company_id");

        projection.reset();
        assertThat(QueryDatabase.rows("api_key", "key_id")).isEmpty();
        assertThat(QueryDatabase.rows("api_key_company", "company_id")).isEmpty();
        assertThat(grant("hash_3", T0)).isEmpty();

        events.run();
        assertThat(QueryDatabase.rows("api_key", "key_id")).isEqualTo(keys).hasSize(2);
        assertThat(QueryDatabase.rows("api_key_company", "company_id")).isEqualTo(companies);
    }

    private void registerCompany(String companyId) {
        projection.on(new CompanyRegistered(companyId, "Acme", "owner@acme.test", "mem_1", "REF1", null), 0);
    }

    private void issue(String keyId, String hash, ApiKeyLimits limits, long sequence, Instant at) {
        projection.on(new ApiKeyIssued(keyId, COMPANY, "key " + keyId, hash, "sk-aiagg-" + keyId.substring(0, 2),
                limits, "mem_1"), sequence, at);
    }

    private Optional<ApiKeyGrant> grant(String hash, Instant at) {
        return projection.handle(new FindApiKeyBySecretHash(hash, at));
    }
}
