package dev.aiagg.gateway.llm;

import dev.aiagg.gateway.web.BodyRefusal;
import dev.aiagg.gateway.web.BodyRefusals;
import dev.aiagg.proxy.Dialect;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/** A request body refused on {@code /v1}, in OpenAI's error format, or Anthropic's on {@code /v1/messages}. */
@Component
class LlmBodyRefusals implements BodyRefusals {

    private final LlmErrors errors;

    LlmBodyRefusals(LlmErrors errors) {
        this.errors = errors;
    }

    @Override
    public boolean covers(String path) {
        return path.startsWith("/v1/");
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, BodyRefusal refusal, String message)
            throws IOException {
        Dialect dialect = "/v1/messages".equals(request.getServletPath()) ? Dialect.ANTHROPIC : Dialect.OPENAI;
        LlmException error = switch (refusal) {
            case TOO_LARGE -> new LlmException(413, "invalid_request_error", "request_too_large", message);
            case TOO_SLOW -> new LlmException(408, "invalid_request_error", "request_timeout", message);
            case NO_ROOM -> new LlmException(503, "server_error", "service_unavailable", message,
                    Duration.ofSeconds(1), Map.of());
        };
        errors.write(response, dialect, error, response.getHeader("X-Request-Id"));
    }
}
