package dev.aiagg.api.apikey;

import java.time.Instant;
import java.util.List;

/**
 * What a key may do. An empty {@code models} list allows every model; a null limit means none.
 * {@code responseCache} answers its repeated deterministic requests from the response cache without the request
 * having to ask for it (keys issued before the setting existed read as false).
 */
public record ApiKeyLimits(List<String> models, Integer rpm, Integer tpm, Long monthlyBudgetMicros,
                           Instant expiresAt, boolean responseCache) {

    public ApiKeyLimits {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
