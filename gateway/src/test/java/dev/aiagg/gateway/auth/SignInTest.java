package dev.aiagg.gateway.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.aiagg.gateway.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SignInTest extends IntegrationTest {

    @Autowired
    private JdbcClient jdbc;

    @Value("${aiagg.security.jwt-secret}")
    private String jwtSecret;

    @Test
    void aMemberSignsInWithABearerTokenPair() {
        CompanySession company = newCompany();

        Response login = login(company.email(), company.password(), randomClientIp());

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("tokenType")).isEqualTo("Bearer");
        assertThat(login.body().get("expiresIn").asLong()).isEqualTo(900);
        assertThat(login.text("refreshToken")).isNotBlank();
        assertThat(call(HttpMethod.GET, "/api/companies/me", login.text("accessToken"), null).status())
                .isEqualTo(200);
    }

    @Test
    void aWrongEmailAndAWrongPasswordGetTheSameAnswer() {
        CompanySession company = newCompany();

        Response wrongPassword = login(company.email(), "wrong-password-1", randomClientIp());
        Response wrongEmail = login("nobody-" + UUID.randomUUID() + "@example.com", company.password(),
                randomClientIp());

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongEmail.status()).isEqualTo(401);
        assertThat(wrongPassword.body()).isEqualTo(wrongEmail.body());
        assertThat(wrongPassword.text("code")).isEqualTo("invalid_credentials");
    }

    @Test
    void everySignInAttemptIsStoredAsAnEvent() {
        CompanySession company = newCompany();
        String unknown = "Stranger-" + UUID.randomUUID() + "@Example.com";

        login(company.email(), "wrong-password-1", "10.20.30.40");
        login(unknown, "whatever-password-1", "10.20.30.41");

        assertThat(events("dev.aiagg.api.company.MemberLoggedIn", company.companyId())).isEqualTo(1);
        assertThat(events("dev.aiagg.api.company.LoginFailed", company.companyId())).isEqualTo(1);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM domain_event_entry
                        WHERE payload_type = 'dev.aiagg.api.company.LoginFailed'
                          AND convert_from(payload, 'UTF8') LIKE :email
                          AND convert_from(payload, 'UTF8') LIKE '%10.20.30.41%'""")
                .param("email", "%" + unknown + "%")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void tooManyWrongPasswordsFromOneAddressLockTheEmailThereOnly() {
        CompanySession company = newCompany();
        String attacker = randomClientIp();
        for (int i = 0; i < 10; i++) {
            assertThat(login(company.email(), "wrong-password-" + i, attacker).status()).isEqualTo(401);
        }

        Response locked = login(company.email(), company.password(), attacker);
        Response owner = login(company.email(), company.password(), randomClientIp());

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.text("code")).isEqualTo("too_many_attempts");
        assertThat(Long.parseLong(locked.headers().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 900L);
        assertThat(owner.status()).as("the owner elsewhere: %s", owner.body()).isEqualTo(200);
    }

    /** The per-e-mail bound is 20 in the tests' configuration (100 by default). */
    @Test
    void guessingFromManyAddressesIsBoundedButCannotLockTheOwnerOutWhereTheyHaveSignedInBefore() {
        CompanySession company = newCompany();
        String ownersAddress = randomClientIp();
        assertThat(login(company.email(), company.password(), ownersAddress).status()).isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            assertThat(login(company.email(), "wrong-password-" + i, randomClientIp()).status()).isEqualTo(401);
        }

        Response stranger = login(company.email(), company.password(), randomClientIp());
        Response owner = login(company.email(), company.password(), ownersAddress);

        assertThat(stranger.status()).as("a new address: %s", stranger.body()).isEqualTo(429);
        assertThat(Long.parseLong(stranger.headers().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 900L);
        assertThat(owner.status()).as("the owner's address: %s", owner.body()).isEqualTo(200);
    }

    @Test
    void tooManyAttemptsFromOneAddressAreRefused() {
        String address = randomClientIp();
        for (int i = 0; i < 30; i++) {
            assertThat(login("guess-" + i + "-" + UUID.randomUUID() + "@example.com", "guess-password-1", address)
                    .status()).isEqualTo(401);
        }

        Response refused = login("guess-" + UUID.randomUUID() + "@example.com", "guess-password-1", address);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
        assertThat(login("guess-" + UUID.randomUUID() + "@example.com", "guess-password-1", randomClientIp())
                .status()).as("another address").isEqualTo(401);
    }

    @Test
    void aRefreshTokenRotatesAndWorksOnlyOnce() {
        CompanySession company = newCompany();

        Response refreshed = refresh(company.refreshToken());

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.text("refreshToken")).isNotEqualTo(company.refreshToken());
        assertThat(call(HttpMethod.GET, "/api/companies/me", refreshed.text("accessToken"), null).status())
                .isEqualTo(200);
        Response next = refresh(refreshed.text("refreshToken"));
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void aSpentRefreshTokenPresentedAgainRevokesTheWholeFamily() {
        CompanySession company = newCompany();
        Response refreshed = refresh(company.refreshToken());
        assertThat(refreshed.status()).isEqualTo(200);

        Response reuse = refresh(company.refreshToken());

        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.text("code")).isEqualTo("invalid_token");
        assertThat(refresh(refreshed.text("refreshToken")).status()).isEqualTo(401);
        Response otherSignIn = login(company.email(), company.password(), randomClientIp());
        assertThat(refresh(otherSignIn.text("refreshToken")).status()).isEqualTo(200);
    }

    @Test
    void logoutRevokesTheRefreshTokens() {
        CompanySession company = newCompany();
        Response refreshed = refresh(company.refreshToken());

        Response logout = call(HttpMethod.POST, "/api/auth/logout", null,
                Map.of("refreshToken", refreshed.text("refreshToken")));

        assertThat(logout.status()).isEqualTo(204);
        assertThat(refresh(refreshed.text("refreshToken")).status()).isEqualTo(401);
        assertThat(refresh("never-issued").status()).isEqualTo(401);
    }

    @Test
    void missingForgedAndExpiredAccessTokensAreRefusedAlike() {
        CompanySession company = newCompany();
        String forged = sign("a-different-secret-of-at-least-32-bytes!!", company, Instant.now().plusSeconds(600));
        String expired = sign(jwtSecret, company, Instant.now().minusSeconds(600));
        String valid = sign(jwtSecret, company, Instant.now().plusSeconds(600));

        assertThat(call(HttpMethod.GET, "/api/companies/me", valid, null).status()).isEqualTo(200);
        for (String token : new String[]{null, forged, expired, "not.a.jwt", company.accessToken() + "x"}) {
            Response refused = call(HttpMethod.GET, "/api/companies/me", token, null);

            assertThat(refused.status()).as("token %s", token).isEqualTo(401);
            assertThat(refused.text("code")).isEqualTo("unauthorized");
            assertThat(refused.headers().getContentType()).hasToString("application/problem+json");
        }
    }

    @Test
    void operatorsEndpointsNeedAnOperator() {
        CompanySession company = newCompany();

        Response byOwner = call(HttpMethod.GET, "/api/admin/companies", company.accessToken(), null);

        assertThat(byOwner.status()).isEqualTo(403);
        assertThat(byOwner.text("code")).isEqualTo("forbidden");
        assertThat(call(HttpMethod.GET, "/api/admin/companies", null, null).status()).isEqualTo(401);
    }

    private Response refresh(String refreshToken) {
        return call(HttpMethod.POST, "/api/auth/refresh", null, Map.of("refreshToken", refreshToken));
    }

    private long events(String payloadType, String companyId) {
        await().atMost(Duration.ofSeconds(5)).until(() -> countEvents(payloadType, companyId) > 0);
        return countEvents(payloadType, companyId);
    }

    private long countEvents(String payloadType, String companyId) {
        return jdbc.sql("""
                        SELECT count(*) FROM domain_event_entry
                        WHERE payload_type = :type AND aggregate_identifier = :company""")
                .param("type", payloadType)
                .param("company", companyId)
                .query(Long.class).single();
    }

    private static String sign(String secret, CompanySession company, Instant expiresAt) {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(
                new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer("aiagg")
                .subject(UUID.randomUUID().toString())
                .issuedAt(expiresAt.minusSeconds(900))
                .expiresAt(expiresAt)
                .claim("cid", company.companyId())
                .claim("role", "OWNER")
                .claim("email", company.email())
                .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }
}
