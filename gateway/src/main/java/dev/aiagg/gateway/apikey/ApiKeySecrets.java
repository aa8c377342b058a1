package dev.aiagg.gateway.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Makes secrets and the only forms of them that may be kept: the SHA-256 (for lookup) and a short prefix (for
 * people telling keys apart). The secret itself lives only in the response that hands it out.
 */
@Component
class ApiKeySecrets {

    static final String SCHEME = "sk-aiagg-";
    static final int PREFIX_LENGTH = 12;
    private static final int RANDOM_BYTES = 32;

    private final SecureRandom random = new SecureRandom();

    String newSecret() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String prefix(String secret) {
        return secret.substring(0, PREFIX_LENGTH);
    }

    static boolean looksLikeSecret(String presented) {
        return presented != null && presented.startsWith(SCHEME) && presented.length() > PREFIX_LENGTH
                && presented.length() <= 200;
    }
}
