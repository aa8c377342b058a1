package dev.aiagg.gateway.web;

import dev.aiagg.gateway.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CrossCuttingTest extends IntegrationTest {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void theRequestIdIsEchoedAndLandsInTheMetadataOfTheEventsItCaused() {
        String requestId = "req-" + UUID.randomUUID();
        String email = "traced-" + UUID.randomUUID() + "@example.com";

        Response registered = call(HttpMethod.POST, "/api/companies", null,
                Map.of("name", "Traced Ltd", "email", email, "password", PASSWORD),
                Map.of("X-Request-Id", requestId));

        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.headers().getFirst("X-Request-Id")).isEqualTo(requestId);
        List<String> metadata = jdbc.sql("""
                        SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry
                        WHERE aggregate_identifier = :company""")
                .param("company", registered.text("companyId"))
                .query(String.class).list();
        assertThat(metadata).isNotEmpty().allSatisfy(m -> assertThat(m).contains("correlationId", requestId));
    }

    @Test
    void aRequestWithoutAUsableIdGetsOne() {
        String generated = call(HttpMethod.GET, "/actuator/health", null, null).headers().getFirst("X-Request-Id");
        String replaced = call(HttpMethod.GET, "/actuator/health", null, null,
                Map.of("X-Request-Id", "bad id\twith spaces")).headers().getFirst("X-Request-Id");

        assertThat(generated).isNotBlank();
        assertThat(replaced).isNotBlank().doesNotContain(" ");
    }

    @Test
    void mistakesAboutPathsAndMethodsAreProblemsNotServerErrors() {
        String token = newCompany().accessToken();

        Response unknown = call(HttpMethod.GET, "/api/no-such-thing", token, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("code")).isEqualTo("not_found");
        assertThat(unknown.headers().getContentType()).hasToString("application/problem+json");

        Response wrongMethod = call(HttpMethod.DELETE, "/api/companies/me", token, null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.text("code")).isEqualTo("method_not_allowed");

        Response wrongMediaType = call(HttpMethod.POST, "/api/auth/login", null, null,
                Map.of("Content-Type", "text/plain"));
        assertThat(wrongMediaType.status()).isEqualTo(415);
        assertThat(wrongMediaType.text("code")).isEqualTo("unsupported_media_type");

        assertThat(call(HttpMethod.GET, "/api/no-such-thing", null, null).status()).isEqualTo(401);
    }

    @Test
    void healthAndAxonMetricsArePublic() {
        assertThat(call(HttpMethod.GET, "/actuator/health", null, null).status()).isEqualTo(200);
        newCompany();

        Response prometheus = call(HttpMethod.GET, "/actuator/prometheus", null, null, Map.of("Accept", "text/plain"));

        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body().asText()).contains("commandBus").contains("eventProcessor");
        assertThat(call(HttpMethod.GET, "/actuator/env", null, null).status()).isIn(401, 403, 404);
    }

    @Test
    void theOpenApiDescriptionIsServed() {
        Response docs = call(HttpMethod.GET, "/v3/api-docs", null, null);

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.text("openapi")).startsWith("3.");
        assertThat(docs.body().path("paths").has("/api/companies")).isTrue();
        assertThat(docs.body().path("paths").has("/api/auth/login")).isTrue();
        assertThat(docs.body().path("components").path("securitySchemes").has("bearer")).isTrue();
        assertThat(call(HttpMethod.GET, "/swagger-ui/index.html", null, null).status()).isEqualTo(200);
    }
}
