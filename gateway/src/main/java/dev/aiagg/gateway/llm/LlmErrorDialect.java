package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.gateway.web.ErrorDialect;
import dev.aiagg.proxy.Dialect;
import org.springframework.stereotype.Component;

/**
 * Errors that arise on {@code /v1} outside {@link LlmController} (a malformed request, an unknown path, a wrong
 * method) in the caller's format: Anthropic's on {@code /v1/messages}, OpenAI's on the rest of {@code /v1}.
 */
@Component
class LlmErrorDialect implements ErrorDialect {

    private final LlmErrors errors;

    LlmErrorDialect(LlmErrors errors) {
        this.errors = errors;
    }

    @Override
    public JsonNode body(String path, int status, String message, String requestId) {
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            return null;
        }
        Dialect dialect = path.equals("/v1/messages") || path.startsWith("/v1/messages/")
                ? Dialect.ANTHROPIC : Dialect.OPENAI;
        String type = status >= 500 ? "server_error" : "invalid_request_error";
        return errors.body(dialect, new LlmException(status, type, null, message), requestId);
    }
}
