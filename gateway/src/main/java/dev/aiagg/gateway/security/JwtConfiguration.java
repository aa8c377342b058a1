package dev.aiagg.gateway.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/** HS256 access tokens, signed and verified with one secret key. */
@Configuration(proxyBeanMethods = false)
class JwtConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JwtConfiguration.class);
    private static final int MIN_KEY_BYTES = 32;

    @Bean
    JwtSigningKey jwtSigningKey(GatewaySecurityProperties properties) {
        return new JwtSigningKey(new SecretKeySpec(keyBytes(properties), "HmacSHA256"));
    }

    @Bean
    JwtEncoder jwtEncoder(JwtSigningKey key) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(key.secretKey()));
    }

    @Bean
    JwtDecoder jwtDecoder(JwtSigningKey key, GatewaySecurityProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key.secretKey())
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer())));
        return decoder;
    }

    @Bean
    JwtAuthenticationConverter jwtAuthenticationConverter() {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(Caller.ROLE_CLAIM);
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return converter;
    }

    private static byte[] keyBytes(GatewaySecurityProperties properties) {
        if (properties.jwtSecret() != null && !properties.jwtSecret().isBlank()) {
            byte[] secret = properties.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_KEY_BYTES) {
                throw new IllegalStateException("AIAGG_JWT_SECRET (aiagg.security.jwt-secret) must be at least "
                        + MIN_KEY_BYTES + " bytes long, it has " + secret.length);
            }
            return secret;
        }
        if (properties.jwtKeyFile() == null || properties.jwtKeyFile().isBlank()) {
            throw new IllegalStateException("No JWT signing key: set AIAGG_JWT_SECRET (aiagg.security.jwt-secret) "
                    + "to a secret of at least " + MIN_KEY_BYTES + " bytes");
        }
        return loadOrGenerate(Path.of(properties.jwtKeyFile()));
    }

    /** The embedded default keeps its key on disk, so tokens stay valid across restarts. */
    private static byte[] loadOrGenerate(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            }
            byte[] key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Path absolute = file.toAbsolutePath().normalize();
            Files.createDirectories(absolute.getParent());
            Files.writeString(absolute, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            if (absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(absolute, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
            }
            log.info("Generated a JWT signing key in {}", absolute);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT signing key " + file, e);
        }
    }

    /** Wrapped so that no other bean mistakes it for a general-purpose {@link SecretKey}. */
    record JwtSigningKey(SecretKey secretKey) {
    }
}
