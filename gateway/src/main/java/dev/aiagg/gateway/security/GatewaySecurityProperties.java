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
     * Login throttling, each counter in a fixed window: all attempts per client address; failures per address and
     * e-mail together, so that guessing from one address never locks the owner out at another; and failures per
     * e-mail across all addresses, a bound on distributed guessing that holds only for addresses the e-mail has not
     * signed in from within {@code knownAddressLifetime}, so that it cannot be used to lock the owner out either.
     * {@code store} is {@code memory} (one node) or {@code redis} (shared by all nodes).
     */
    public record Throttle(@DefaultValue("memory") @NotNull Store store,
                           @DefaultValue("10") @Positive int maxFailuresPerAddressAndEmail,
                           @DefaultValue("100") @Positive int maxFailuresPerEmail,
                           @DefaultValue("15m") @NotNull Duration emailWindow,
                           @DefaultValue("30") @Positive int maxAttemptsPerAddress,
                           @DefaultValue("1m") @NotNull Duration addressWindow,
                           @DefaultValue("30d") @NotNull Duration knownAddressLifetime) {
    }

    enum Store {
        MEMORY, REDIS
    }
}
