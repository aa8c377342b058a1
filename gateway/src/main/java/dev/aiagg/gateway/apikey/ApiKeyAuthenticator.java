package dev.aiagg.gateway.apikey;

import dev.aiagg.api.apikey.ApiKeyGrant;
import dev.aiagg.api.apikey.ApiKeyStatus;
import dev.aiagg.api.apikey.FindApiKeyBySecretHash;
import dev.aiagg.axon.processing.ReadModelMonitor;
import dev.aiagg.axon.processing.ReadModelWatch;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * Decides whether a presented API key secret may be used now. It asks the API-key read model on every call, so a
 * revocation, suspension or rotation counts as soon as the projection has it (the key endpoints wait for that
 * before they answer).
 * <p>
 * It fails closed: while the read model is behind by more than {@code aiagg.llm.key-check-max-lag} (or its processor
 * is not running here), no key is admitted; nor is a key whose own events or whose company's wait in the read
 * model's dead-letter queue. Both are known from memory ({@link ReadModelWatch}), at no cost per call.
 */
@Component
public class ApiKeyAuthenticator {

    static final String READ_MODEL = "api-keys";

    private final QueryGateway queries;
    private final ReadModelWatch readModel;
    private final Clock clock = Clock.systemUTC();

    ApiKeyAuthenticator(QueryGateway queries, ReadModelMonitor monitor, KeyCheckProperties properties) {
        this.queries = queries;
        this.readModel = monitor.watch(READ_MODEL, properties.keyCheckMaxLag());
    }

    /** The key, when the secret is accepted; use {@link #check} to learn why one is refused. */
    public Optional<AuthenticatedKey> authenticate(String presentedSecret) {
        return check(presentedSecret).acceptedKey();
    }

    public KeyCheck check(String presentedSecret) {
        if (!ApiKeySecrets.looksLikeSecret(presentedSecret)) {
            return KeyCheck.refused(KeyRefusal.UNKNOWN);
        }
        if (!readModel.current()) {
            return KeyCheck.refused(KeyRefusal.READ_MODEL_UNAVAILABLE);
        }
        Instant now = clock.instant();
        Optional<ApiKeyGrant> found = queries.query(
                new FindApiKeyBySecretHash(ApiKeySecrets.hash(presentedSecret), now),
                ResponseTypes.optionalInstanceOf(ApiKeyGrant.class)).join();
        if (found.isEmpty()) {
            // Also a key whose issue is among the dead letters: it has no row to admit it.
            return KeyCheck.refused(KeyRefusal.UNKNOWN);
        }
        ApiKeyGrant grant = found.get();
        if (readModel.deadLettered(grant.keyId()) || readModel.deadLettered(grant.companyId())) {
            return KeyCheck.refused(KeyRefusal.CANNOT_BE_CHECKED);
        }
        if (grant.status() == ApiKeyStatus.REVOKED) {
            return KeyCheck.refused(KeyRefusal.REVOKED);
        }
        if (grant.companySuspended()) {
            return KeyCheck.refused(KeyRefusal.COMPANY_SUSPENDED);
        }
        Instant expiresAt = grant.limits() == null ? null : grant.limits().expiresAt();
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return KeyCheck.refused(KeyRefusal.EXPIRED);
        }
        return KeyCheck.accepted(new AuthenticatedKey(grant.keyId(), grant.companyId(), grant.name(), grant.limits()));
    }
}
