package dev.aiagg.gateway.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Sign-in and token settings. The signing key comes from {@code jwtSecret} when set (required in production),
 * otherwise from {@code jwtKeyFile}, generated on first start.
 */
@Validated
@ConfigurationProperties("aiagg.security")
public record GatewaySecurityProperties(String jwtSecret,
                                        String jwtKeyFile,
                                        @DefaultValue("aiagg") @NotBlank String issuer,
                                        @DefaultValue("15m") @NotNull Duration accessTokenTtl,
                                        @DefaultValue("30d") @NotNull Duration refreshTokenTtl,
                                        @DefaultValue @Valid @NotNull Throttle throttle) {

    /**
     * Login throttling: failed attempts per e-mail and all attempts per client address, each counted in a fixed
     * window. {@code store} is {@code memory} (one node) or {@code redis} (shared by all nodes).
     */
    public record Throttle(@DefaultValue("memory") @NotNull Store store,
                           @DefaultValue("10") @Positive int maxFailuresPerEmail,
                           @DefaultValue("15m") @NotNull Duration emailWindow,
                           @DefaultValue("30") @Positive int maxAttemptsPerAddress,
                           @DefaultValue("1m") @NotNull Duration addressWindow) {
    }

    enum Store {
        MEMORY, REDIS
    }
}
