package dev.aiagg.gateway.auth;

import jakarta.validation.constraints.Email;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The platform operator created at first start, from AIAGG_ADMIN_EMAIL and AIAGG_ADMIN_PASSWORD. */
@Validated
@ConfigurationProperties("aiagg.admin")
record AdminProperties(@Email String email, String password) {

    boolean configured() {
        return email != null && !email.isBlank() && password != null && !password.isBlank();
    }
}
