package dev.aiagg.gateway.llm;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Requests and tokens per minute for each API key, counted in fixed one-minute windows. A call is admitted only when
 * both its request and its estimated tokens (prompt plus completion cap, as OpenAI counts them) fit.
 */
interface KeyRateLimiter {

    Duration WINDOW = Duration.ofMinutes(1);

    /** @param rpm requests per minute, or null for none; @param tpm tokens per minute, or null for none */
    Admission admit(String keyId, Integer rpm, Integer tpm, long tokens);

    /**
     * The counts after the decision, for OpenAI's {@code x-ratelimit-*} headers.
     */
    record Admission(boolean admitted, Integer rpm, Integer tpm, long requestsUsed, long tokensUsed,
                     Duration reset) {

        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            String reset = Math.max(1, (reset().toMillis() + 999) / 1000) + "s";
            if (rpm != null) {
                headers.put("x-ratelimit-limit-requests", rpm.toString());
                headers.put("x-ratelimit-remaining-requests", Long.toString(Math.max(0, rpm - requestsUsed)));
                headers.put("x-ratelimit-reset-requests", reset);
            }
            if (tpm != null) {
                headers.put("x-ratelimit-limit-tokens", tpm.toString());
                headers.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tpm - tokensUsed)));
                headers.put("x-ratelimit-reset-tokens", reset);
            }
            return headers;
        }
    }
}
