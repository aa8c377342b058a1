package dev.aiagg.gateway.llm;

import java.time.Duration;
import java.util.Map;

/**
 * A refusal of an LLM call, written in the caller's dialect by {@link LlmErrors}.
 *
 * @param status     HTTP status
 * @param type       OpenAI error type ({@code invalid_request_error}, {@code insufficient_quota}, ...)
 * @param code       OpenAI error code, or null
 * @param retryAfter for 429 and 503, or null
 * @param headers    extra response headers (rate-limit figures)
 */
class LlmException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final Duration retryAfter;
    private final Map<String, String> headers;

    LlmException(int status, String type, String code, String message) {
        this(status, type, code, message, null, Map.of());
    }

    LlmException(int status, String type, String code, String message, Duration retryAfter,
                 Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.retryAfter = retryAfter;
        this.headers = Map.copyOf(headers);
    }

    /** The company's balance cannot cover the call (OpenAI's {@code insufficient_quota}). */
    static LlmException balanceTooLow() {
        return new LlmException(402, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota: the balance does not cover this request. Top up to go on.");
    }

    /** The key's monthly budget cannot cover the call. */
    static LlmException budgetSpent() {
        return new LlmException(402, "insufficient_quota", "insufficient_quota",
                "This API key has spent its monthly budget.");
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String code() {
        return code;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    Map<String, String> headers() {
        return headers;
    }
}
