package dev.aiagg.proxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.provider.UpstreamFailure.Cause;
import dev.aiagg.proxy.provider.UpstreamFailure.Next;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Classifies provider errors, whichever of the three error shapes they come in: OpenAI
 * {@code {"error":{"message","type","code"}}}, OpenRouter (numeric {@code code}) and Anthropic
 * {@code {"type":"error","error":{"type","message"}}}.
 */
public final class Failures {

    private Failures() {
    }

    /** A non-2xx answer, or an error object sent inside a 2xx answer (then {@code status} is its code or 502). */
    public static UpstreamFailure fromStatus(String provider, int status, JsonNode body, Duration retryAfter) {
        JsonNode error = body == null ? null : body.path("error");
        String message = error != null && error.hasNonNull("message") ? error.get("message").asText()
                : "provider " + provider + " answered " + status;
        String type = error != null && error.path("type").isTextual() ? error.get("type").asText() : null;
        String code = error != null && error.path("code").isTextual() ? error.get("code").asText() : null;
        String errorCode = error != null ? error.path("details").path("error_code").asText("") : "";
        String detail = "provider " + provider + ": " + message;
        if (status == 401 || status == 403) {
            return new UpstreamFailure(new ProviderException(502, "server_error",
                    "provider " + provider + " rejected our credentials (" + status + ")", null),
                    Next.NEXT_DEPLOYMENT, Cause.BROKEN);
        }
        if (status == 402) {
            return new UpstreamFailure(new ProviderException(502, "server_error", detail, null),
                    Next.NEXT_DEPLOYMENT, Cause.BROKEN);
        }
        if (status == 408 || status == 504) {
            return new UpstreamFailure(new ProviderException(504, "server_error", detail, retryAfter),
                    Next.RETRY, Cause.TIMEOUT);
        }
        if (status == 429) {
            boolean quota = "insufficient_quota".equals(type) || "insufficient_quota".equals(code)
                    || "enforced_spend_limit_reached".equals(errorCode);
            return new UpstreamFailure(new ProviderException(503, "server_error", detail, retryAfter),
                    quota ? Next.NEXT_DEPLOYMENT : Next.RETRY, Cause.OVERLOADED);
        }
        if (status == 503 || status == 529) {
            return new UpstreamFailure(new ProviderException(503, "server_error", detail, retryAfter),
                    Next.RETRY, Cause.OVERLOADED);
        }
        if (status >= 500) {
            return new UpstreamFailure(new ProviderException(502, "server_error", detail, retryAfter),
                    Next.RETRY, Cause.BROKEN);
        }
        if (status >= 400) {
            String clientType = type == null || type.equals("error") ? "invalid_request_error" : openAiType(type);
            return new UpstreamFailure(new ProviderException(status, clientType, message, null),
                    Next.STOP, Cause.REFUSED);
        }
        return new UpstreamFailure(new ProviderException(502, "server_error", detail, null), Next.RETRY, Cause.BROKEN);
    }

    /** An error object that arrived as a stream event or in a 200 body. */
    public static UpstreamFailure fromErrorEvent(String provider, JsonNode body) {
        JsonNode error = body.path("error");
        int status = 502;
        if (error.path("code").isInt()) {
            status = error.get("code").asInt();
        } else if (error.path("type").isTextual()) {
            status = switch (error.get("type").asText()) {
                case "overloaded_error" -> 529;
                case "rate_limit_error" -> 429;
                case "timeout_error" -> 504;
                case "invalid_request_error" -> 400;
                default -> 502;
            };
        }
        return fromStatus(provider, status < 400 ? 502 : status, body, null);
    }

    /** An exception from the HTTP client, the time limiter or a cancelled future. */
    public static UpstreamFailure fromThrowable(String provider, Throwable thrown) {
        Throwable cause = unwrap(thrown);
        if (cause instanceof UpstreamFailure failure) {
            return failure;
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return UpstreamFailure.timeout("provider " + provider + " did not answer in time");
        }
        if (cause instanceof ConnectException) {
            return UpstreamFailure.broken("provider " + provider + " could not be reached");
        }
        if (cause instanceof IOException) {
            return UpstreamFailure.broken("provider " + provider + " connection failed: " + cause.getMessage());
        }
        if (cause instanceof CancellationException) {
            return UpstreamFailure.timeout("provider " + provider + " call was cancelled");
        }
        return UpstreamFailure.broken("provider " + provider + " failed: " + cause);
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable cause = thrown;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** {@code retry-after-ms} first, then {@code retry-after} in seconds or as an HTTP date. */
    public static Duration retryAfter(HttpHeaders headers) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Duration.ofMillis((long) Double.parseDouble(millis.get().trim()));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        Optional<String> value = headers.firstValue("retry-after");
        if (value.isEmpty()) {
            return null;
        }
        String text = value.get().trim();
        try {
            return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(),
                        ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static String openAiType(String type) {
        return switch (type) {
            case "not_found_error", "request_too_large" -> "invalid_request_error";
            default -> type;
        };
    }
}
