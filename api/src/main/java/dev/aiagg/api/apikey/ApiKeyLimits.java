package dev.aiagg.api.apikey;

import java.time.Instant;
import java.util.List;

/**
 * What a key may do. An empty {@code models} list allows every model; a null limit means none.
 */
public record ApiKeyLimits(List<String> models, Integer rpm, Integer tpm, Long monthlyBudgetMicros,
                           Instant expiresAt) {

    public ApiKeyLimits {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
