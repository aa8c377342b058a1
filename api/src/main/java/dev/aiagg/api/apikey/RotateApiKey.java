package dev.aiagg.api.apikey;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replace the secret; the previous one keeps working until {@code previousValidUntil}. */
public record RotateApiKey(@TargetAggregateIdentifier String keyId, String companyId, String newSecretHash,
                           String newSecretPrefix, Instant previousValidUntil, String rotatedBy) {
}
