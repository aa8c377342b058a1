package dev.aiagg.gateway.embedded;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The PostgreSQL that the platform starts itself when nothing is configured. */
@Validated
@ConfigurationProperties("aiagg.embedded-postgres")
record EmbeddedPostgresProperties(boolean enabled,
                                  @DefaultValue("./data/postgres") @NotBlank String dataDirectory,
                                  @DefaultValue("aiagg") @NotBlank String database) {
}
