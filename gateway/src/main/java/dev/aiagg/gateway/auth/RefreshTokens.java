package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.security.GatewaySecurityProperties;
import dev.aiagg.gateway.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque refresh tokens that rotate: each one can be spent once for a new pair. All tokens descending from one
 * sign-in form a family; a spent token presented again means it was stolen, so the whole family is revoked.
 * Only the SHA-256 of a token is stored.
 */
@Repository
class RefreshTokens {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    private final JdbcClient jdbc;
    private final GatewaySecurityProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    RefreshTokens(JdbcClient jdbc, GatewaySecurityProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Starts a new family, for a fresh sign-in. */
    String issue(String memberId) {
        return issue(memberId, UUID.randomUUID().toString());
    }

    private String issue(String memberId, String familyId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("""
                        INSERT INTO refresh_token (token_hash, family_id, member_id, expires_at)
                        VALUES (:hash, :family, :member, :expires)""")
                .param("hash", hash(token))
                .param("family", familyId)
                .param("member", memberId)
                .param("expires", Timestamp.from(clock.instant().plus(properties.refreshTokenTtl())))
                .update();
        return token;
    }

    /**
     * Spends a token and returns its successor with the member it belongs to. Each step commits on its own, so a
     * family revoked on reuse stays revoked although the caller is refused.
     */
    Rotated rotate(String presented) {
        String hash = hash(presented);
        Stored stored = jdbc.sql("""
                        SELECT family_id, member_id, expires_at, used_at, revoked_at
                        FROM refresh_token WHERE token_hash = :hash""")
                .param("hash", hash)
                .query(Stored.class)
                .optional()
                .orElseThrow(RefreshTokens::invalid);
        if (stored.revokedAt() != null) {
            throw invalid();
        }
        if (stored.usedAt() != null) {
            reuseDetected(stored);
        }
        if (!stored.expiresAt().toInstant().isAfter(clock.instant())) {
            throw invalid();
        }
        int spent = jdbc.sql("""
                        UPDATE refresh_token SET used_at = now()
                        WHERE token_hash = :hash AND used_at IS NULL AND revoked_at IS NULL""")
                .param("hash", hash)
                .update();
        if (spent == 0) {
            reuseDetected(stored);
        }
        return new Rotated(stored.memberId(), issue(stored.memberId(), stored.familyId()));
    }

    /** Signs out: every token of the presented token's family stops working. Unknown tokens are ignored. */
    void revokeFamilyOf(String presented) {
        familyOf(presented).ifPresent(this::revokeFamily);
    }

    private Optional<String> familyOf(String presented) {
        return jdbc.sql("SELECT family_id FROM refresh_token WHERE token_hash = :hash")
                .param("hash", hash(presented))
                .query(String.class)
                .optional();
    }

    private void reuseDetected(Stored stored) {
        log.warn("Refresh token reused; revoking token family {} of member {}", stored.familyId(), stored.memberId());
        revokeFamily(stored.familyId());
        throw invalid();
    }

    private void revokeFamily(String familyId) {
        jdbc.sql("UPDATE refresh_token SET revoked_at = now() WHERE family_id = :family AND revoked_at IS NULL")
                .param("family", familyId)
                .update();
    }

    private static ProblemException invalid() {
        return new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token",
                "the refresh token is invalid, expired or revoked");
    }

    private static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    record Rotated(String memberId, String refreshToken) {
    }

    record Stored(String familyId, String memberId, Timestamp expiresAt, Timestamp usedAt,
                          Timestamp revokedAt) {
    }
}
