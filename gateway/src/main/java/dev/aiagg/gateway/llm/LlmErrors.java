package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Writes refusals in the caller's dialect: OpenAI's error object, or Anthropic's. */
@Component
class LlmErrors {

    private final ObjectMapper json;

    LlmErrors(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode body(Dialect dialect, LlmException refusal, String requestId) {
        if (dialect == Dialect.ANTHROPIC) {
            ObjectNode body = json.createObjectNode().put("type", "error");
            body.putObject("error")
                    .put("type", anthropicType(refusal.status()))
                    .put("message", refusal.getMessage());
            body.put("request_id", requestId);
            return body;
        }
        ObjectNode body = json.createObjectNode();
        body.putObject("error")
                .put("message", refusal.getMessage())
                .put("type", refusal.type())
                .putNull("param")
                .put("code", refusal.code());
        return body;
    }

    void write(HttpServletResponse response, Dialect dialect, LlmException refusal, String requestId)
            throws IOException {
        response.setStatus(refusal.status());
        headers(refusal).forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        byte[] bytes = json.writeValueAsBytes(body(dialect, refusal, requestId));
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static java.util.Map<String, String> headers(LlmException refusal) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(refusal.headers());
        if (refusal.retryAfter() != null) {
            headers.put(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, refusal.retryAfter().toSeconds())));
        }
        if (refusal.status() == 402 || refusal.status() == 401 || refusal.status() == 403) {
            // The SDKs retry some statuses on their own; these would only fail again.
            headers.put("x-should-retry", "false");
        }
        return headers;
    }

    String sseError(Dialect dialect, LlmException refusal, String requestId) {
        try {
            String data = json.writeValueAsString(body(dialect, refusal, requestId));
            return dialect == Dialect.ANTHROPIC ? "event: error\ndata: " + data + "\n\n" : "data: " + data + "\n\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> "api_error";
        };
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
