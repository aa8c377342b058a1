package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.security.GatewaySecurityProperties;
import dev.aiagg.gateway.web.ProblemException;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: a client address may try only so often, and an e-mail is locked for a while
 * after too many wrong passwords, whatever address they come from.
 */
@Component
class LoginThrottle {

    private final ThrottleCounters counters;
    private final GatewaySecurityProperties.Throttle limits;

    LoginThrottle(ThrottleCounters counters, GatewaySecurityProperties properties) {
        this.counters = counters;
        this.limits = properties.throttle();
    }

    /** Counts the attempt and refuses it when the address or the e-mail is over its limit. */
    void admit(String address, String email) {
        ThrottleCounters.Count attempts = counters.increment(addressKey(address), limits.addressWindow());
        if (attempts.value() > limits.maxAttemptsPerAddress()) {
            throw ProblemException.tooManyRequests("too many sign-in attempts from this address",
                    attempts.remaining());
        }
        ThrottleCounters.Count failures = counters.current(emailKey(email));
        if (failures.value() >= limits.maxFailuresPerEmail()) {
            throw ProblemException.tooManyRequests("too many failed sign-ins for this e-mail", failures.remaining());
        }
    }

    void failed(String email) {
        counters.increment(emailKey(email), limits.emailWindow());
    }

    void succeeded(String email) {
        counters.clear(emailKey(email));
    }

    private static String addressKey(String address) {
        return "login:ip:" + address;
    }

    private static String emailKey(String email) {
        return "login:email:" + email;
    }
}
