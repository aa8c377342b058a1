package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.security.GatewaySecurityProperties;
import dev.aiagg.gateway.web.ProblemException;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The throttle's rules on the embedded default's in-memory counters (the integration tests use Redis's). */
class LoginThrottleTest {

    private static final String EMAIL = "owner@example.com";

    /** The defaults, but for more attempts per address than the tests make. */
    private final LoginThrottle throttle = new LoginThrottle(new InMemoryThrottleCounters(),
            new Binder(new MapConfigurationPropertySource(
                    Map.of("aiagg.security.throttle.max-attempts-per-address", "1000")))
                    .bind("aiagg.security", GatewaySecurityProperties.class).get());

    @Test
    void wrongPasswordsFromOneAddressLockTheEmailThereOnly() {
        for (int i = 0; i < 10; i++) {
            fail("198.51.100.1");
        }

        assertThatThrownBy(() -> throttle.admit("198.51.100.1", EMAIL)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("from this address");
        assertThatCode(() -> throttle.admit("198.51.100.2", EMAIL)).doesNotThrowAnyException();
    }

    @Test
    void theBoundAcrossAddressesSparesTheAddressesTheEmailSignedInFrom() {
        throttle.admit("198.51.100.9", EMAIL);
        throttle.succeeded("198.51.100.9", EMAIL);
        for (int i = 0; i < 100; i++) {
            fail("203.0.113." + i);
        }

        assertThatThrownBy(() -> throttle.admit("203.0.113.200", EMAIL)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("for this e-mail");
        assertThatCode(() -> throttle.admit("198.51.100.9", EMAIL)).doesNotThrowAnyException();
        assertThatCode(() -> throttle.admit("203.0.113.200", "someone-else@example.com"))
                .doesNotThrowAnyException();
    }

    @Test
    void aSuccessClearsItsAddresssFailures() {
        for (int i = 0; i < 9; i++) {
            fail("198.51.100.3");
        }
        throttle.admit("198.51.100.3", EMAIL);
        throttle.succeeded("198.51.100.3", EMAIL);
        for (int i = 0; i < 9; i++) {
            fail("198.51.100.3");
        }

        assertThatCode(() -> throttle.admit("198.51.100.3", EMAIL)).doesNotThrowAnyException();
    }

    private void fail(String address) {
        throttle.admit(address, EMAIL);
        throttle.failed(address, EMAIL);
    }
}
