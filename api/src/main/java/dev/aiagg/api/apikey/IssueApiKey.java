package dev.aiagg.api.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Issue a key. Only the SHA-256 of the secret ({@code secretHash}, hex) travels; {@code secretPrefix} is the
 * first characters of the secret, shown in listings so a person can tell keys apart.
 */
public record IssueApiKey(@TargetAggregateIdentifier String keyId, String companyId, String name, String secretHash,
                          String secretPrefix, ApiKeyLimits limits, String issuedBy) {
}
