package dev.aiagg.gateway.apikey;

import dev.aiagg.api.apikey.ApiKeyGrant;
import dev.aiagg.api.apikey.ApiKeyStatus;
import dev.aiagg.api.apikey.FindApiKeyBySecretHash;
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
 */
@Component
public class ApiKeyAuthenticator {

    private final QueryGateway queries;
    private final Clock clock = Clock.systemUTC();

    ApiKeyAuthenticator(QueryGateway queries) {
        this.queries = queries;
    }

    /** The key, when the secret is accepted; use {@link #check} to learn why one is refused. */
    public Optional<AuthenticatedKey> authenticate(String presentedSecret) {
        return check(presentedSecret).acceptedKey();
    }

    public KeyCheck check(String presentedSecret) {
        if (!ApiKeySecrets.looksLikeSecret(presentedSecret)) {
            return KeyCheck.refused(KeyRefusal.UNKNOWN);
        }
        Instant now = clock.instant();
        Optional<ApiKeyGrant> found = queries.query(
                new FindApiKeyBySecretHash(ApiKeySecrets.hash(presentedSecret), now),
                ResponseTypes.optionalInstanceOf(ApiKeyGrant.class)).join();
        if (found.isEmpty()) {
            return KeyCheck.refused(KeyRefusal.UNKNOWN);
        }
        ApiKeyGrant grant = found.get();
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
