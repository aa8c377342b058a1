package dev.aiagg.gateway.auth;

import dev.aiagg.api.DomainException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Repository;

import java.util.Locale;
import java.util.Optional;

/**
 * Passwords live here and never in events: events are immutable and broadcast, while a password hash must stay
 * private and erasable. E-mails are stored lower-case and are unique across the whole platform.
 */
@Repository
public class Credentials {

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;

    Credentials(JdbcClient jdbc, PasswordEncoder passwordEncoder) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
    }

    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Stores a new credential in the caller's transaction.
     *
     * @throws DomainException {@code already_exists} when the e-mail is taken
     */
    public void add(String memberId, String companyId, String email, String rawPassword, String role) {
        int inserted = jdbc.sql("""
                        INSERT INTO member_credential (member_id, company_id, email, password_hash, role)
                        VALUES (:memberId, :companyId, :email, :hash, :role)
                        ON CONFLICT (email) DO NOTHING""")
                .param("memberId", memberId)
                .param("companyId", companyId)
                .param("email", normalizeEmail(email))
                .param("hash", passwordEncoder.encode(rawPassword))
                .param("role", role)
                .update();
        if (inserted == 0) {
            throw new DomainException("already_exists", "the e-mail is already registered");
        }
    }

    boolean exists(String email) {
        return jdbc.sql("SELECT count(*) FROM member_credential WHERE email = :email")
                .param("email", normalizeEmail(email))
                .query(Long.class)
                .single() > 0;
    }

    Optional<Credential> findByEmail(String email) {
        return jdbc.sql("""
                        SELECT member_id, company_id, email, password_hash, role
                        FROM member_credential WHERE email = :email""")
                .param("email", normalizeEmail(email))
                .query(Credential.class)
                .optional();
    }

    Optional<Credential> findByMemberId(String memberId) {
        return jdbc.sql("""
                        SELECT member_id, company_id, email, password_hash, role
                        FROM member_credential WHERE member_id = :memberId""")
                .param("memberId", memberId)
                .query(Credential.class)
                .optional();
    }
}
