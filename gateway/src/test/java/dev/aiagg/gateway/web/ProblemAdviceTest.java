package dev.aiagg.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.gateway.dependency.DependencyProperties;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Mappings that no request of the integration tests can provoke on demand. */
class ProblemAdviceTest {

    private final ProblemAdvice advice = new ProblemAdvice(new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("aiagg.dependencies", DependencyProperties.class));

    @Test
    void aQueryWhoseFutureTimedOutIsUnavailableNotAServerError() {
        ResponseEntity<ProblemDetail> answer =
                advice.unexpected(new CompletionException(new TimeoutException("query timed out")));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(answer.getBody().getProperties()).containsEntry("code", "unavailable");
    }
}
