package dev.aiagg.gateway.company;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Each company's own referral code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), reserved
 * in a unique table in the registration's transaction, so no two companies ever share one.
 */
@Component
class ReferralCodes {

    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int LENGTH = 8;
    private static final int ATTEMPTS = 5;

    private final JdbcClient jdbc;
    private final SecureRandom random = new SecureRandom();

    ReferralCodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String reserveFor(String companyId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String code = generate();
            int reserved = jdbc.sql("""
                            INSERT INTO company_referral_code (code, company_id) VALUES (:code, :company)
                            ON CONFLICT (code) DO NOTHING""")
                    .param("code", code)
                    .param("company", companyId)
                    .update();
            if (reserved == 1) {
                return code;
            }
        }
        throw new IllegalStateException("no free referral code after " + ATTEMPTS + " attempts");
    }

    static String normalize(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }

    private String generate() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }
}
