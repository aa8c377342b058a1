package dev.aiagg.gateway.apikey;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param keyCheckMaxLag a key is checked only against an API-key read model that has handled every event stored more
 *                       than this long ago; while it is further behind (or its processor is not running here), a key
 *                       check answers 503 instead of trusting it. Revocation and suspension take effect within this
 *                       plus the grant cache's lifetime
 */
@Validated
@ConfigurationProperties("aiagg.llm")
record KeyCheckProperties(@DefaultValue("1s") @NotNull Duration keyCheckMaxLag) {
}
