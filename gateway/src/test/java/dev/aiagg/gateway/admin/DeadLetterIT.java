package dev.aiagg.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.api.Money;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.apikey.ApiKeyIssued;
import dev.aiagg.api.apikey.ApiKeyRevoked;
import dev.aiagg.api.company.CompanyRegistered;
import dev.aiagg.api.company.CompanySuspended;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelPriced;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.gateway.IntegrationTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Events that break their handlers, written straight into the event store past every validation: each goes to the
 * dead-letter queue of its sequence, every other key, account, company and model keeps working, a key whose
 * sequence is dead-lettered is refused, and operators list, retry and evict the letters.
 */
class DeadLetterIT extends IntegrationTest {

    private static final String NUL = "\u0000";
    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Autowired
    private EventStore eventStore;
    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void anIssuedKeyThatBreaksTheKeyReadModelIsDeadLetteredAndEveryOtherKeyKeepsWorking() {
        CompanySession owner = newCompany();
        String ownersKey = issue(owner);
        CompanySession other = newCompany();
        String othersKey = issue(other);
        String poisonedSecret = "sk-aiagg-" + UUID.randomUUID();
        String poisonedKey = "key_" + UUID.randomUUID();

        store("ApiKey", poisonedKey, 0, new ApiKeyIssued(poisonedKey, owner.companyId(), "evil" + NUL + "name",
                sha256(poisonedSecret), poisonedSecret.substring(0, 12), null, "attacker"));

        JsonNode letter = awaitLetter("api-keys", poisonedKey);
        assertThat(letter.get("eventType").asText()).isEqualTo(ApiKeyIssued.class.getName());
        assertThat(letter.get("aggregateId").asText()).isEqualTo(poisonedKey);
        assertThat(letter.get("aggregateSequenceNumber").asLong()).isZero();
        assertThat(letter.get("causeType").asText()).isNotBlank();
        assertThat(letter.get("lettersInSequence").asLong()).isEqualTo(1);
        assertThat(letter.get("enqueuedAt").asText()).isNotBlank();
        await().atMost(RECOVERY).until(() -> models(ownersKey).status() == 200 && models(othersKey).status() == 200);
        assertRefused(models(poisonedSecret));

        assertRevocationWithinOneSecond(other);
        assertThat(models(issue(other)).status()).as("a new key").isEqualTo(200);

        Response retried = call(HttpMethod.POST, "/api/admin/dead-letters/api-keys/" + poisonedKey + "/retry",
                operatorToken(), null);
        assertThat(retried.status()).as("%s", retried.body()).isEqualTo(200);
        assertThat(retried.body().get("succeeded").asBoolean()).isFalse();
        assertThat(retried.body().get("remaining").asLong()).isEqualTo(1);
        JsonNode afterRetry = letter("api-keys", poisonedKey);
        assertThat(afterRetry.get("lastTouched").asText()).isNotEqualTo(letter.get("lastTouched").asText());
        assertRefused(models(poisonedSecret));

        evict("api-keys", poisonedKey);
        assertThat(call(HttpMethod.POST, "/api/admin/dead-letters/api-keys/" + poisonedKey + "/retry",
                operatorToken(), null).status()).isEqualTo(404);
        assertThat(models(ownersKey).status()).isEqualTo(200);
    }

    /**
     * A revocation the read model cannot apply leaves the key's row active: the key is refused as one that cannot be
     * checked. Evicting the letter drops the revocation from the read model, so the key works again.
     */
    @Test
    void aKeyWhoseEventsAreDeadLetteredIsRefusedUntilTheyAreEvicted() {
        CompanySession company = newCompany();
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "poisoned"));
        String keyId = issued.text("id");
        String secret = issued.text("secret");
        String neighbour = issue(company);
        assertThat(models(secret).status()).isEqualTo(200);

        store("ApiKey", keyId, nextSequence(keyId), new ApiKeyRevoked(keyId + NUL, company.companyId(), "attacker"));

        awaitLetter("api-keys", keyId);
        await().atMost(RECOVERY).until(() -> models(neighbour).status() == 200);
        Response refused = models(secret);
        assertRefused(refused);
        assertThat(refused.body().get("error").get("message").asText()).contains("cannot be checked");

        evict("api-keys", keyId);
        await().atMost(Duration.ofSeconds(2)).until(() -> models(secret).status() == 200);
    }

    /** Suspension arrives as company events: a company whose sequence is dead-lettered has all its keys refused. */
    @Test
    void aCompanyWhoseEventsAreDeadLetteredHasItsKeysRefused() {
        CompanySession poisoned = newCompany();
        String poisonedKey = issue(poisoned);
        CompanySession other = newCompany();
        String othersKey = issue(other);

        store("Company", poisoned.companyId(), nextSequence(poisoned.companyId()),
                new CompanySuspended(poisoned.companyId() + NUL, "unpaid", "attacker"));

        awaitLetter("api-keys", poisoned.companyId());
        awaitLetter("companies", poisoned.companyId());
        await().atMost(RECOVERY).until(() -> models(othersKey).status() == 200);
        assertRefused(models(poisonedKey));
        assertThat(newCompany().companyId()).as("registration goes on").isNotBlank();

        evict("api-keys", poisoned.companyId());
        evict("companies", poisoned.companyId());
    }

    @Test
    void aCompanyRegisteredWithANulInItsNameIsDeadLetteredAndRegistrationGoesOn() {
        String companyId = "cmp_" + UUID.randomUUID();

        store("Company", companyId, 0, new CompanyRegistered(companyId, "evil" + NUL + "corp",
                "evil-" + UUID.randomUUID() + "@example.com", "mbr_" + UUID.randomUUID(), "REF" + companyId, null));

        JsonNode letter = awaitLetter("companies", companyId);
        assertThat(letter.get("eventType").asText()).isEqualTo(CompanyRegistered.class.getName());
        CompanySession registered = newCompany();
        assertThat(models(issue(registered)).status()).isEqualTo(200);
        evict("companies", companyId);
    }

    /** A ledger read model writes a batch's rows at commit; the isolated retry still dead-letters the one event. */
    @Test
    void anAdjustmentWithANulInItsReasonIsDeadLetteredAndOtherAccountsKeepMoving() {
        CompanySession poisoned = newCompany();
        credit(poisoned.companyId(), "10.00");
        await().atMost(Duration.ofSeconds(10)).until(() -> balance(poisoned).equals("10.00"));
        CompanySession other = newCompany();
        String accountId = AccountId.of(poisoned.companyId());

        store("Account", accountId, nextSequence(accountId), new BalanceAdjusted(accountId, poisoned.companyId(),
                "adj_" + UUID.randomUUID(), Money.parseMicros("1.00"), "evil" + NUL + "reason", "attacker",
                Money.parseMicros("11.00")));

        awaitLetter("ledger", accountId);
        credit(other.companyId(), "5.00");
        await().atMost(RECOVERY).until(() -> balance(other).equals("5.00") && statement(other).size() == 1);
        creditPastTheStaleAggregate(poisoned.companyId(), "2.00");
        await().atMost(RECOVERY).until(() -> letter("ledger", accountId).get("lettersInSequence").asLong() == 2);
        assertThat(balance(poisoned)).as("frozen behind its dead letter").isEqualTo("10.00");
        credit(other.companyId(), "1.00");
        await().atMost(RECOVERY).until(() -> balance(other).equals("6.00") && statement(other).size() == 2);

        Response retried = call(HttpMethod.POST, "/api/admin/dead-letters/ledger/" + accountId + "/retry",
                operatorToken(), null);
        assertThat(retried.body().get("succeeded").asBoolean()).isFalse();
        assertThat(retried.body().get("remaining").asLong()).isEqualTo(2);
        evict("ledger", accountId);
    }

    @Test
    void aModelWithANulInItsUpstreamModelIsDeadLetteredAndTheCatalogueGoesOn() {
        String modelId = "it-poison-" + UUID.randomUUID();
        String key = issue(newCompany());

        store("CatalogueModel", modelId, 0, new ModelPriced(modelId,
                List.of(new ModelDeployment("openai", "gpt" + NUL + "4o", 1, 1)),
                new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE), "RUB", BigDecimal.ZERO, null, 1,
                "attacker"));

        awaitLetter("catalogue", modelId);
        String defined = "it-after-poison-" + UUID.randomUUID().toString().substring(0, 8);
        Response put = call(HttpMethod.PUT, "/api/admin/models/" + defined, operatorToken(), Map.of(
                "deployments", List.of(Map.of("provider", "openai", "upstreamModel", "gpt-4o", "priority", 1,
                        "weight", 1)),
                "prices", Map.of("input", "1", "cachedInput", "1", "output", "1"),
                "currency", "RUB", "markup", "0"));
        assertThat(put.status()).as("%s", put.body()).isBetween(200, 201);
        await().atMost(RECOVERY).until(() -> modelIds(key).contains(defined));
        assertThat(modelIds(key)).doesNotContain(modelId);
        evict("catalogue", modelId);
    }

    /** While the key read model cannot be trusted, keys are not checked against it: 503 in the caller's format. */
    @Test
    void whileTheKeyReadModelIsNotRunningKeyChecksAnswer503InTheCallersFormat() {
        String key = issue(newCompany());
        String operator = operatorToken();
        assertThat(call(HttpMethod.POST, "/api/admin/processors/api-keys/pause", operator, null).status())
                .isEqualTo(202);
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> models(key).status() == 503);
            Response openAi = models(key);
            assertThat(openAi.headers().getFirst("Retry-After")).isEqualTo("1");
            assertThat(openAi.body().get("error").get("type").asText()).isEqualTo("server_error");
            Response anthropic = call(HttpMethod.POST, "/v1/messages", null,
                    Map.of("model", "any", "max_tokens", 1, "messages", List.of()),
                    Map.of("x-api-key", key, "anthropic-version", "2023-06-01"));
            assertThat(anthropic.status()).isEqualTo(503);
            assertThat(anthropic.headers().getFirst("Retry-After")).isEqualTo("1");
            assertThat(anthropic.body().get("type").asText()).isEqualTo("error");
            assertThat(anthropic.body().get("error").get("type").asText()).isEqualTo("overloaded_error");
        } finally {
            call(HttpMethod.POST, "/api/admin/processors/api-keys/resume", operator, null);
        }
        await().atMost(RECOVERY).until(() -> models(key).status() == 200);
    }

    @Test
    void theEndpointsRefuseBadNamesUnknownLettersAndCompanies() {
        String operator = operatorToken();
        assertFieldError(call(HttpMethod.POST, "/api/admin/dead-letters/ledger/acct\u001Bx/retry", operator, null),
                "sequence");
        assertFieldError(call(HttpMethod.GET, "/api/admin/dead-letters?group=led\u001Bger", operator, null),
                "group");
        assertFieldError(call(HttpMethod.DELETE, "/api/admin/dead-letters/" + "g".repeat(256) + "/x", operator,
                null), "group");
        assertFieldError(call(HttpMethod.GET, "/api/admin/dead-letters?limit=0", operator, null), "limit");
        assertProblem(call(HttpMethod.GET, "/api/admin/dead-letters?group=no-such-group", operator, null), 404);
        assertProblem(call(HttpMethod.DELETE, "/api/admin/dead-letters/rabbitmq-publication/x", operator, null),
                404);
        assertProblem(call(HttpMethod.POST, "/api/admin/dead-letters/ledger/no-such-sequence/retry", operator,
                null), 404);
        assertProblem(call(HttpMethod.GET, "/api/admin/dead-letters", newCompany().accessToken(), null), 403);
        Response all = call(HttpMethod.GET, "/api/admin/dead-letters?offset=0&limit=10", operator, null);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("limit").asInt()).isEqualTo(10);
        assertThat(all.body().get("total").asLong()).isGreaterThanOrEqualTo(0);
    }

    private void assertRevocationWithinOneSecond(CompanySession company) {
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "revoked"));
        String secret = issued.text("secret");
        assertThat(models(secret).status()).isEqualTo(200);
        assertThat(call(HttpMethod.DELETE, "/api/keys/" + issued.text("id"), company.accessToken(), null).status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> models(secret).status() == 401);
    }

    /**
     * The command side still caches the account as it was before the event this test wrote behind its back: the
     * first command after it loses the race for the sequence number (409) and drops the cached account.
     */
    private void creditPastTheStaleAggregate(String companyId, String amount) {
        await().atMost(Duration.ofSeconds(5)).until(() -> call(HttpMethod.POST,
                "/api/admin/companies/" + companyId + "/adjustments", operatorToken(),
                Map.of("amount", amount, "reason", "test credit"),
                Map.of("Idempotency-Key", "credit-" + UUID.randomUUID())).status() == 201);
    }

    private void store(String aggregateType, String aggregateId, long sequence, Object payload) {
        eventStore.publish(new GenericDomainEventMessage<>(aggregateType, aggregateId, sequence, payload));
    }

    private long nextSequence(String aggregateId) {
        Long last = jdbc.queryForObject(
                "select max(sequence_number) from domain_event_entry where aggregate_identifier = ?", Long.class,
                aggregateId);
        return last == null ? 0 : last + 1;
    }

    private String issue(CompanySession company) {
        Response issued = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", "key"));
        assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
        return issued.text("secret");
    }

    private Response models(String secret) {
        return call(HttpMethod.GET, "/v1/models", secret, null);
    }

    private List<String> modelIds(String secret) {
        List<String> ids = new ArrayList<>();
        models(secret).body().get("data").forEach(model -> ids.add(model.get("id").asText()));
        return ids;
    }

    private String balance(CompanySession company) {
        return call(HttpMethod.GET, "/api/balance", company.accessToken(), null).text("balance");
    }

    private List<JsonNode> statement(CompanySession company) {
        List<JsonNode> entries = new ArrayList<>();
        call(HttpMethod.GET, "/api/statement", company.accessToken(), null).body().get("entries")
                .forEach(entries::add);
        return entries;
    }

    private JsonNode awaitLetter(String group, String sequence) {
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> letter(group, sequence) != null);
        return letter(group, sequence);
    }

    private JsonNode letter(String group, String sequence) {
        Response page = call(HttpMethod.GET, "/api/admin/dead-letters?group=" + group + "&limit=500",
                operatorToken(), null);
        assertThat(page.status()).as("%s", page.body()).isEqualTo(200);
        for (JsonNode letter : page.body().get("letters")) {
            if (letter.get("sequenceIdentifier").asText().equals(sequence)) {
                assertThat(letter.get("group").asText()).isEqualTo(group);
                return letter;
            }
        }
        return null;
    }

    private void evict(String group, String sequence) {
        assertThat(call(HttpMethod.DELETE, "/api/admin/dead-letters/" + group + "/" + sequence, operatorToken(),
                null).status()).isEqualTo(204);
        assertThat(letter(group, sequence)).isNull();
    }

    private static void assertRefused(Response response) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(401);
        assertThat(response.body().get("error").get("code").asText()).isEqualTo("invalid_api_key");
    }

    private static void assertProblem(Response response, int status) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(status);
        assertThat(response.body().path("status").asInt()).as("%s", response.body()).isEqualTo(status);
        assertThat(response.body().path("type").asText()).as("%s", response.body()).startsWith("urn:aiagg:problem:");
        assertThat(response.body().path("code").asText()).as("%s", response.body()).isNotBlank();
    }

    private static void assertFieldError(Response response, String field) {
        assertProblem(response, 400);
        List<String> fields = new ArrayList<>();
        response.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        assertThat(fields).as("%s", response.body()).contains(field);
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
