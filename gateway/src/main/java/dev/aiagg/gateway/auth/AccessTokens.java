package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.security.GatewaySecurityProperties;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/** Short-lived signed access tokens that name the member, its company and its role. */
@Component
class AccessTokens {

    private final JwtEncoder encoder;
    private final GatewaySecurityProperties properties;
    private final Clock clock = Clock.systemUTC();

    AccessTokens(JwtEncoder encoder, GatewaySecurityProperties properties) {
        this.encoder = encoder;
        this.properties = properties;
    }

    String issue(Credential credential) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .subject(credential.memberId())
                .issuedAt(now)
                .expiresAt(now.plus(properties.accessTokenTtl()))
                .claim(Caller.ROLE_CLAIM, credential.role())
                .claim(Caller.EMAIL_CLAIM, credential.email());
        if (credential.companyId() != null) {
            claims.claim(Caller.COMPANY_CLAIM, credential.companyId());
        }
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }

    long lifetimeSeconds() {
        return properties.accessTokenTtl().toSeconds();
    }
}
