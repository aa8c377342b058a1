package dev.aiagg.gateway.llm;

import dev.aiagg.gateway.apikey.ApiKeyAuthenticator;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.gateway.apikey.KeyCheck;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Admits a call by its API key: {@code Authorization: Bearer} (OpenAI SDKs, Anthropic SDKs from 3.x) or
 * {@code x-api-key} (older Anthropic SDKs), and checks the model against the key's allow-list.
 */
@Component
class KeyGate {

    private static final Duration KEY_CHECK_RETRY = Duration.ofSeconds(1);

    private final ApiKeyAuthenticator authenticator;
    private final ShortLivedCache<String, KeyCheck> checks;

    KeyGate(ApiKeyAuthenticator authenticator, LlmProperties properties) {
        this.authenticator = authenticator;
        this.checks = new ShortLivedCache<>(properties.readModelCacheLifetime());
    }

    AuthenticatedKey admit(HttpServletRequest request) {
        String secret = presentedSecret(request);
        if (secret == null) {
            throw new LlmException(401, "invalid_request_error", "invalid_api_key",
                    "You didn't provide an API key. Send it as 'Authorization: Bearer sk-aiagg-...'.");
        }
        KeyCheck check = checks.get(secret, authenticator::check);
        if (!check.accepted()) {
            String message = switch (check.refusal()) {
                case REVOKED -> "This API key has been revoked.";
                case EXPIRED -> "This API key has expired.";
                case COMPANY_SUSPENDED -> "The company that owns this API key is suspended.";
                case CANNOT_BE_CHECKED -> "This API key cannot be checked now; it is refused until it can be.";
                case UNKNOWN -> "Incorrect API key provided.";
                case READ_MODEL_UNAVAILABLE -> throw new LlmException(503, "server_error", "service_unavailable",
                        "API keys cannot be checked at the moment. Please retry shortly.", KEY_CHECK_RETRY,
                        Map.of());
            };
            throw new LlmException(401, "invalid_request_error", "invalid_api_key", message);
        }
        return check.key();
    }

    static void requireModelAllowed(AuthenticatedKey key, String model) {
        if (!mayUse(key, model)) {
            throw new LlmException(403, "invalid_request_error", "model_not_allowed",
                    "This API key may not use the model `" + model + "`.");
        }
    }

    static boolean mayUse(AuthenticatedKey key, String model) {
        return key.limits() == null || key.limits().models().isEmpty() || key.limits().models().contains(model);
    }

    private static String presentedSecret(HttpServletRequest request) {
        String apiKey = request.getHeader("x-api-key");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }
}
