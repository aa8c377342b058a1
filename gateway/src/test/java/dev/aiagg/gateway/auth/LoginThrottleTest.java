package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.security.GatewaySecurityProperties;
import dev.aiagg.gateway.web.ProblemException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The throttle's rules on the embedded default's in-memory counters (the integration tests use Redis's). */
class LoginThrottleTest {

    private static final String EMAIL = "owner@example.com";

    private final LoginThrottle throttle = new LoginThrottle(new InMemoryThrottleCounters(),
            new GatewaySecurityProperties(null, null, "aiagg", Duration.ofMinutes(15), Duration.ofDays(30),
                    new GatewaySecurityProperties.Throttle(GatewaySecurityProperties.Store.MEMORY, 10, 100,
                            Duration.ofMinutes(15), 1_000, Duration.ofMinutes(1), Duration.ofDays(30))));

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
