package dev.aiagg.gateway.auth;

import dev.aiagg.api.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.util.UUID;

/** Creates the first platform operator, once; a later change of the configured password does not overwrite it. */
@Component
class OperatorBootstrap implements ApplicationRunner {

    static final String PLATFORM_ADMIN = "PLATFORM_ADMIN";
    private static final Logger log = LoggerFactory.getLogger(OperatorBootstrap.class);

    private final AdminProperties admin;
    private final Credentials credentials;
    private final PasswordPolicy passwords;

    OperatorBootstrap(AdminProperties admin, Credentials credentials, PasswordPolicy passwords) {
        this.admin = admin;
        this.credentials = credentials;
        this.passwords = passwords;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!admin.configured()) {
            log.info("No platform operator configured (AIAGG_ADMIN_EMAIL, AIAGG_ADMIN_PASSWORD)");
            return;
        }
        if (credentials.exists(admin.email())) {
            return;
        }
        String weakness = passwords.problem(admin.password());
        if (weakness != null) {
            throw new IllegalStateException("AIAGG_ADMIN_PASSWORD " + weakness);
        }
        try {
            credentials.add(UUID.randomUUID().toString(), null, admin.email(), admin.password(), PLATFORM_ADMIN);
            log.info("Created platform operator {}", Credentials.normalizeEmail(admin.email()));
        } catch (DomainException alreadyCreated) {
            log.info("Platform operator was created by another node");
        }
    }
}
