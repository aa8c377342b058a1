package dev.aiagg.gateway.apikey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.gateway.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ApiKeyIT extends IntegrationTest {

    private static final String MEMBER_PASSWORD = "member-horse-battery-42";

    @Autowired
    private ApiKeyAuthenticator authenticator;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void issuesListsRotatesAndRevokesAKey() {
        CompanySession company = newCompany();
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of(
                "name", "ci runner", "models", List.of("gpt-4o-mini", "claude-3-5-haiku"), "rpm", 60, "tpm", 90000,
                "monthlyBudget", "1500.50", "expiresAt", Instant.now().plus(Duration.ofDays(30)).toString()));

        assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
        String secret = issued.text("secret");
        String keyId = issued.text("id");
        assertThat(secret).startsWith("sk-aiagg-").hasSizeGreaterThanOrEqualTo(49).matches("[A-Za-z0-9_-]+");
        assertThat(issued.text("secretPrefix")).isEqualTo(secret.substring(0, 12));
        assertThat(issued.text("monthlyBudget")).isEqualTo("1500.50");
        assertThat(issued.text("status")).isEqualTo("ACTIVE");
        assertThat(issued.body().get("rpm").asInt()).isEqualTo(60);
        assertThat(authenticator.authenticate(secret)).get()
                .satisfies(key -> {
                    assertThat(key.keyId()).isEqualTo(keyId);
                    assertThat(key.companyId()).isEqualTo(company.companyId());
                    assertThat(key.limits().models()).containsExactly("gpt-4o-mini", "claude-3-5-haiku");
                    assertThat(key.limits().monthlyBudgetMicros()).isEqualTo(1_500_500_000L);
                });

        Response listed = call(HttpMethod.GET, "/api/keys", company.accessToken(), null);
        assertThat(listed.status()).isEqualTo(200);
        JsonNode key = only(listed.body().get("keys"));
        assertThat(key.get("id").asText()).isEqualTo(keyId);
        assertThat(key.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(key.has("secret")).isFalse();
        assertThat(listed.body().toString()).doesNotContain(secret).doesNotContain(ApiKeySecrets.hash(secret));

        Response rotated = call(HttpMethod.POST, "/api/keys/" + keyId + "/rotate", company.accessToken(), null);
        assertThat(rotated.status()).as("%s", rotated.body()).isEqualTo(200);
        String newSecret = rotated.text("secret");
        assertThat(newSecret).startsWith("sk-aiagg-").isNotEqualTo(secret);
        assertThat(Instant.parse(rotated.text("previousValidUntil")))
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        assertThat(authenticator.authenticate(newSecret)).isPresent();
        assertThat(authenticator.authenticate(secret)).as("old secret within its grace").isPresent();

        Response revoked = call(HttpMethod.DELETE, "/api/keys/" + keyId, company.accessToken(), null);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(authenticator.check(newSecret).refusal()).isEqualTo(KeyRefusal.REVOKED);
        assertThat(authenticator.check(secret).refusal()).isEqualTo(KeyRefusal.REVOKED);
        assertThat(only(call(HttpMethod.GET, "/api/keys", company.accessToken(), null).body().get("keys"))
                .get("status").asText()).isEqualTo("REVOKED");
    }

    @Test
    void theSecretIsStoredNowhere() {
        CompanySession company = newCompany();
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "stored?"));
        String keyId = issued.text("id");
        String rotatedSecret = call(HttpMethod.POST, "/api/keys/" + keyId + "/rotate", company.accessToken(),
                Map.of("graceSeconds", 60)).text("secret");
        await().atMost(Duration.ofSeconds(5)).until(() -> authenticator.authenticate(rotatedSecret).isPresent());

        for (String secret : List.of(issued.text("secret"), rotatedSecret)) {
            assertThat(columnsContaining(secret)).as("columns holding the secret").isEmpty();
            // The scan does see the stored forms, so an empty answer above means something.
            assertThat(columnsContaining(ApiKeySecrets.hash(secret))).as("columns holding its hash")
                    .contains("domain_event_entry.payload")
                    .anyMatch(column -> column.startsWith("api_key."));
        }
    }

    @Test
    void theOldSecretWorksUntilTheGracePeriodEnds() {
        CompanySession company = newCompany();
        Response issued = issue(company, "rotating");
        Response rotated = call(HttpMethod.POST, "/api/keys/" + issued.text("id") + "/rotate",
                company.accessToken(), Map.of("graceSeconds", 2));
        Instant validUntil = Instant.parse(rotated.text("previousValidUntil"));

        assertThat(authenticator.authenticate(issued.text("secret"))).isPresent();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
                .until(() -> authenticator.check(issued.text("secret")).refusal() == KeyRefusal.UNKNOWN);
        assertThat(Instant.now()).isAfterOrEqualTo(validUntil);
        assertThat(authenticator.authenticate(rotated.text("secret"))).isPresent();
    }

    @Test
    void aRevokedKeyIsRefusedWithinOneSecond() {
        CompanySession company = newCompany();
        Response issued = issue(company, "short-lived");
        assertThat(authenticator.authenticate(issued.text("secret"))).isPresent();

        assertThat(call(HttpMethod.DELETE, "/api/keys/" + issued.text("id"), company.accessToken(), null).status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> authenticator.check(issued.text("secret")).refusal() == KeyRefusal.REVOKED);
        assertThat(call(HttpMethod.POST, "/api/keys/" + issued.text("id") + "/rotate", company.accessToken(), null)
                .status()).as("rotating a revoked key").isEqualTo(409);
    }

    @Test
    void aSuspendedCompanysKeysAreRefusedUntilItIsReactivated() {
        CompanySession company = newCompany();
        String secret = issue(company, "suspended").text("secret");
        String operator = operatorToken();

        Response suspended = call(HttpMethod.POST, "/api/admin/companies/" + company.companyId() + "/suspend",
                operator, Map.of("reason", "unpaid invoice"));
        assertThat(suspended.status()).as("%s", suspended.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> authenticator.check(secret).refusal() == KeyRefusal.COMPANY_SUSPENDED);

        assertThat(call(HttpMethod.POST, "/api/admin/companies/" + company.companyId() + "/reactivate", operator, null)
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> authenticator.check(secret).accepted());
    }

    @Test
    void aSuspendedCompanyCanRevokeItsKeysButNeitherIssueNorRotateKeysNorAddMembers() {
        CompanySession company = newCompany();
        String keyId = issue(company, "before").text("id");
        String other = issue(company, "to revoke").text("id");
        String operator = operatorToken();
        assertThat(call(HttpMethod.POST, "/api/admin/companies/" + company.companyId() + "/suspend", operator,
                Map.of("reason", "unpaid invoice")).status()).isEqualTo(200);

        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "during"));
        Response rotated = call(HttpMethod.POST, "/api/keys/" + keyId + "/rotate", company.accessToken(), null);
        Response member = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                Map.of("email", "late-" + UUID.randomUUID() + "@example.com", "password", PASSWORD, "role", "VIEWER"));
        Response revoked = call(HttpMethod.DELETE, "/api/keys/" + other, company.accessToken(), null);

        for (Response refused : List.of(issued, rotated, member)) {
            assertThat(refused.status()).as("%s", refused.body()).isEqualTo(409);
            assertThat(refused.text("code")).isEqualTo("company_suspended");
            assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
        }
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(call(HttpMethod.GET, "/api/keys", company.accessToken(), null).body().get("keys")).hasSize(2);
        assertThat(call(HttpMethod.GET, "/api/companies/me", company.accessToken(), null).body().get("members"))
                .hasSize(1);

        assertThat(call(HttpMethod.POST, "/api/admin/companies/" + company.companyId() + "/reactivate", operator, null)
                .status()).isEqualTo(200);
        assertThat(call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "after")).status())
                .isEqualTo(201);
        assertThat(call(HttpMethod.POST, "/api/keys/" + keyId + "/rotate", company.accessToken(), null).status())
                .isEqualTo(200);
    }

    @Test
    void anExpiredKeyIsRefused() {
        CompanySession company = newCompany();
        Instant expiresAt = Instant.now().plusSeconds(2);
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(),
                Map.of("name", "expiring", "expiresAt", expiresAt.toString()));
        assertThat(issued.status()).isEqualTo(201);

        assertThat(authenticator.authenticate(issued.text("secret"))).isPresent();
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50))
                .until(() -> authenticator.check(issued.text("secret")).refusal() == KeyRefusal.EXPIRED);
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
    }

    @Test
    void anotherCompanysKeyDoesNotExist() {
        CompanySession owner = newCompany();
        CompanySession stranger = newCompany();
        Response issued = issue(owner, "not yours");

        assertThat(call(HttpMethod.POST, "/api/keys/" + issued.text("id") + "/rotate", stranger.accessToken(), null)
                .status()).isEqualTo(404);
        assertThat(call(HttpMethod.DELETE, "/api/keys/" + issued.text("id"), stranger.accessToken(), null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.DELETE, "/api/keys/" + owner.companyId(), owner.accessToken(), null).status())
                .as("an id that is no key").isEqualTo(404);
        assertThat(call(HttpMethod.DELETE, "/api/keys/key_" + UUID.randomUUID(), owner.accessToken(), null).status())
                .isEqualTo(404);
        assertThat(authenticator.authenticate(issued.text("secret"))).isPresent();
    }

    @Test
    void refusesBadInput() {
        CompanySession company = newCompany();
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", " ")), "name");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "x".repeat(101))),
                "name");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "k", "rpm", 0)),
                "rpm");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "k", "tpm", -5)),
                "tpm");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(),
                Map.of("name", "k", "monthlyBudget", "lots")), "monthlyBudget");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(),
                Map.of("name", "k", "monthlyBudget", "0.00")), "monthlyBudget");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(),
                Map.of("name", "k", "expiresAt", Instant.now().minusSeconds(60).toString())), "expiresAt");
        assertFieldError(call(HttpMethod.POST, "/api/keys", company.accessToken(),
                Map.of("name", "k", "expiresAt", "next tuesday")), "expiresAt");
        assertThat(call(HttpMethod.POST, "/api/keys", company.accessToken(), "{\"name\":").status()).isEqualTo(400);

        String keyId = issue(company, "grace").text("id");
        assertFieldError(call(HttpMethod.POST, "/api/keys/" + keyId + "/rotate", company.accessToken(),
                Map.of("graceSeconds", 7 * 24 * 3600 + 1)), "graceSeconds");
        assertFieldError(call(HttpMethod.POST, "/api/keys/" + keyId + "/rotate", company.accessToken(),
                Map.of("graceSeconds", -1)), "graceSeconds");
        assertThat(call(HttpMethod.GET, "/api/keys", null, null).status()).isEqualTo(401);
    }

    @Test
    void rolesDecideWhoManagesKeys() {
        CompanySession company = newCompany();
        String viewer = member(company, "VIEWER");
        String billing = member(company, "BILLING");
        String developer = member(company, "DEVELOPER");

        assertThat(call(HttpMethod.POST, "/api/keys", viewer, Map.of("name", "k")).status()).isEqualTo(403);
        assertThat(call(HttpMethod.GET, "/api/keys", viewer, null).status()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/keys", billing, null).status()).isEqualTo(403);
        assertThat(call(HttpMethod.POST, "/api/keys", billing, Map.of("name", "k")).status()).isEqualTo(403);
        Response issued = call(HttpMethod.POST, "/api/keys", developer, Map.of("name", "by a developer"));
        assertThat(issued.status()).isEqualTo(201);
        assertThat(call(HttpMethod.DELETE, "/api/keys/" + issued.text("id"), viewer, null).status()).isEqualTo(403);
        assertThat(call(HttpMethod.GET, "/api/keys", operatorToken(), null).status()).isEqualTo(403);
    }

    private Response issue(CompanySession company, String name) {
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", name));
        assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
        return issued;
    }

    /** Adds a member with the role and returns its access token. */
    private String member(CompanySession company, String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        Response added = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                Map.of("email", email, "password", MEMBER_PASSWORD, "role", role));
        assertThat(added.status()).as("%s", added.body()).isBetween(200, 201);
        Response login = await().atMost(Duration.ofSeconds(5))
                .until(() -> login(email, MEMBER_PASSWORD, randomClientIp()), r -> r.status() == 200);
        return login.text("accessToken");
    }

    /** Every text-like and binary column of the public schema that holds the needle somewhere. */
    private List<String> columnsContaining(String needle) {
        List<String> found = new ArrayList<>();
        jdbc.query("""
                select table_name, column_name, data_type from information_schema.columns
                where table_schema = 'public'
                  and (data_type in ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'ARRAY'))
                order by table_name, column_name
                """, row -> {
            String table = row.getString("table_name");
            String column = row.getString("column_name");
            String predicate = "bytea".equals(row.getString("data_type"))
                    ? "position(convert_to(?, 'UTF8') in \"" + column + "\") > 0"
                    : "strpos(\"" + column + "\"::text, ?) > 0";
            Boolean hit = jdbc.queryForObject(
                    "select exists (select 1 from \"" + table + "\" where " + predicate + ")", Boolean.class, needle);
            if (Boolean.TRUE.equals(hit)) {
                found.add(table + "." + column);
            }
        });
        return found;
    }

    private static JsonNode only(JsonNode array) {
        assertThat(array).hasSize(1);
        return array.get(0);
    }

    static void assertFieldError(Response response, String field) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(400);
        assertThat(response.body().get("errors")).as("%s", response.body()).isNotNull();
        List<String> fields = new ArrayList<>();
        response.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).as("%s", response.body()).contains(field);
    }
}
