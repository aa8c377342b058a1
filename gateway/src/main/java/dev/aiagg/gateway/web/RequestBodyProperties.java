package dev.aiagg.gateway.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How large a request body may be and how long it may take to arrive ({@link RequestBodyFilter}).
 *
 * @param maxBody         the largest body per path
 * @param bodyReadTimeout how long any body may take to arrive, however small
 * @param bodyReadRate    bytes per second a body may take on top of that: a body of n bytes (its declared length, or
 *                        the path's limit when it is sent in chunks) must arrive within
 *                        {@code bodyReadTimeout + n / bodyReadRate}, else 408
 * @param maxBuffered     bytes all bodies being received may hold at once; beyond it a body is refused with 503.
 *                        Unset: a quarter of the heap
 */
@Validated
@ConfigurationProperties("aiagg.http")
record RequestBodyProperties(@DefaultValue @Valid @NotNull MaxBody maxBody,
                             @DefaultValue("10s") @NotNull Duration bodyReadTimeout,
                             @DefaultValue("256KB") @NotNull DataSize bodyReadRate,
                             DataSize maxBuffered) {

    /** A body is buffered in one array, so no limit may pass what an array holds. */
    private static final long LARGEST = Integer.MAX_VALUE - 16;

    RequestBodyProperties {
        if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
            throw new IllegalArgumentException("aiagg.http.body-read-timeout must be positive");
        }
        if (bodyReadRate.toBytes() <= 0) {
            throw new IllegalArgumentException("aiagg.http.body-read-rate must be positive");
        }
        if (maxBuffered != null && maxBuffered.toBytes() <= 0) {
            throw new IllegalArgumentException("aiagg.http.max-buffered must be positive");
        }
    }

    long maxBufferedBytes() {
        return maxBuffered != null ? maxBuffered.toBytes() : Runtime.getRuntime().maxMemory() / 4;
    }

    /** Milliseconds a body of this many bytes may take to arrive. */
    long readDeadlineMillis(long bytes) {
        return bodyReadTimeout.toMillis() + bytes * 1000 / bodyReadRate.toBytes();
    }

    /**
     * @param chat       {@code /v1/chat/completions} and {@code /v1/messages}: images and PDFs travel inline, and
     *                   Anthropic takes at most 32 MB a request
     * @param embeddings {@code /v1/embeddings}: OpenAI takes at most 2,048 inputs and 300,000 tokens a request,
     *                   about 2 MB even as arrays of token ids
     * @param api        {@code /api} and every other path
     */
    record MaxBody(@DefaultValue("32MB") @NotNull DataSize chat,
                   @DefaultValue("4MB") @NotNull DataSize embeddings,
                   @DefaultValue("64KB") @NotNull DataSize api) {

        MaxBody {
            for (DataSize limit : new DataSize[] {chat, embeddings, api}) {
                if (limit.toBytes() <= 0 || limit.toBytes() > LARGEST) {
                    throw new IllegalArgumentException("aiagg.http.max-body.* must be between 1 byte and 2 GB");
                }
            }
        }

        /** The limit of a path (the servlet path, normalized by the container). */
        long bytesFor(String path) {
            return switch (path) {
                case "/v1/chat/completions", "/v1/messages" -> chat.toBytes();
                case "/v1/embeddings" -> embeddings.toBytes();
                default -> api.toBytes();
            };
        }
    }
}
