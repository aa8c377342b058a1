package dev.aiagg.command.apikey;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.Text;
import dev.aiagg.api.apikey.ApiKeyIssued;
import dev.aiagg.api.apikey.ApiKeyLimits;
import dev.aiagg.api.apikey.ApiKeyRevoked;
import dev.aiagg.api.apikey.ApiKeyRotated;
import dev.aiagg.api.apikey.IssueApiKey;
import dev.aiagg.api.apikey.RevokeApiKey;
import dev.aiagg.api.apikey.RotateApiKey;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.List;
import java.util.regex.Pattern;

import static dev.aiagg.api.Text.Kind.DISPLAY_NAME;
import static dev.aiagg.api.Text.Kind.IDENTIFIER;
import static dev.aiagg.api.Text.Kind.MODEL_ID;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A company's key to the LLM API. Only the SHA-256 of its secret is ever known here. A key of another company
 * answers exactly as a missing one, so that key ids reveal nothing across tenants.
 */
@Aggregate
class ApiKey {

    /** Lowercase hex SHA-256: anything else may be a raw secret sent by mistake, which must never be stored. */
    private static final Pattern SHA_256_HEX = Pattern.compile("[0-9a-f]{64}");

    @AggregateIdentifier
    private String keyId;
    private String companyId;
    private String secretHash;
    private boolean revoked;

    protected ApiKey() {
    }

    @CommandHandler
    public ApiKey(IssueApiKey command) {
        Text.require(IDENTIFIER, command.keyId(), "keyId");
        Text.require(IDENTIFIER, command.companyId(), "companyId");
        Text.require(DISPLAY_NAME, command.name(), "name");
        requireSecretHash(command.secretHash(), "secretHash");
        Text.requireOptional(IDENTIFIER, command.secretPrefix(), "secretPrefix");
        Text.requireOptional(IDENTIFIER, command.issuedBy(), "issuedBy");
        ApiKeyLimits limits = command.limits() == null
                ? new ApiKeyLimits(List.of(), null, null, null, null, false)
                : command.limits();
        if (limits.models() != null) {
            limits.models().forEach(model -> Text.require(MODEL_ID, model, "models"));
        }
        requirePositive(limits.rpm(), "rpm");
        requirePositive(limits.tpm(), "tpm");
        requirePositive(limits.monthlyBudgetMicros(), "monthlyBudgetMicros");
        apply(new ApiKeyIssued(command.keyId(), command.companyId(), command.name(), command.secretHash(),
                command.secretPrefix(), limits, command.issuedBy()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RotateApiKey command) {
        requireOwnedBy(command.keyId(), command.companyId());
        if (revoked) {
            throw new DomainException("key_revoked", "key " + keyId + " is revoked");
        }
        requireSecretHash(command.newSecretHash(), "newSecretHash");
        Text.requireOptional(IDENTIFIER, command.newSecretPrefix(), "newSecretPrefix");
        Text.requireOptional(IDENTIFIER, command.rotatedBy(), "rotatedBy");
        if (command.previousValidUntil() == null) {
            throw new DomainException("invalid_input", "previousValidUntil is required");
        }
        apply(new ApiKeyRotated(keyId, companyId, command.newSecretHash(), command.newSecretPrefix(), secretHash,
                command.previousValidUntil(), command.rotatedBy()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RevokeApiKey command) {
        requireOwnedBy(command.keyId(), command.companyId());
        Text.requireOptional(IDENTIFIER, command.revokedBy(), "revokedBy");
        if (!revoked) {
            apply(new ApiKeyRevoked(keyId, companyId, command.revokedBy()));
        }
    }

    @EventSourcingHandler
    void on(ApiKeyIssued event) {
        keyId = event.keyId();
        companyId = event.companyId();
        secretHash = event.secretHash();
    }

    @EventSourcingHandler
    void on(ApiKeyRotated event) {
        secretHash = event.newSecretHash();
    }

    @EventSourcingHandler
    void on(ApiKeyRevoked event) {
        revoked = true;
    }

    private void requireOwnedBy(String commandKeyId, String commandCompanyId) {
        if (keyId == null || !companyId.equals(commandCompanyId)) {
            throw new NotFoundException("no API key " + commandKeyId);
        }
    }

    private static void requireSecretHash(String hash, String name) {
        if (hash == null || !SHA_256_HEX.matcher(hash).matches()) {
            throw new DomainException("invalid_input", name + " must be a SHA-256 in 64 lowercase hex characters");
        }
    }

    private static void requirePositive(Number limit, String name) {
        if (limit != null && limit.longValue() <= 0) {
            throw new DomainException("invalid_input", name + " must be positive when set");
        }
    }
}
