package dev.aiagg.gateway.auth;

import dev.aiagg.gateway.security.GatewaySecurityProperties;
import dev.aiagg.gateway.web.ProblemException;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without handing anyone a way to lock the owner out: an address may try only so often;
 * an e-mail is locked after too many wrong passwords from one address, for that address only; and across all
 * addresses an e-mail takes a bounded number of wrong passwords per window from addresses it has never signed in
 * from, while its known addresses keep their own limit.
 */
@Component
class LoginThrottle {

    private final ThrottleCounters counters;
    private final GatewaySecurityProperties.Throttle limits;

    LoginThrottle(ThrottleCounters counters, GatewaySecurityProperties properties) {
        this.counters = counters;
        this.limits = properties.throttle();
    }

    /** Counts the attempt and refuses it when the address, the address with the e-mail, or the e-mail is over. */
    void admit(String address, String email) {
        ThrottleCounters.Count attempts = counters.increment(addressKey(address), limits.addressWindow());
        if (attempts.value() > limits.maxAttemptsPerAddress()) {
            throw ProblemException.tooManyRequests("too many sign-in attempts from this address",
                    attempts.remaining());
        }
        ThrottleCounters.Count failures = counters.current(pairKey(address, email));
        if (failures.value() >= limits.maxFailuresPerAddressAndEmail()) {
            throw ProblemException.tooManyRequests("too many failed sign-ins for this e-mail from this address",
                    failures.remaining());
        }
        ThrottleCounters.Count everywhere = counters.current(emailKey(email));
        if (everywhere.value() >= limits.maxFailuresPerEmail() && counters.current(knownKey(address, email))
                .value() == 0) {
            throw ProblemException.tooManyRequests("too many failed sign-ins for this e-mail; an address it has "
                    + "signed in from before is still admitted", everywhere.remaining());
        }
    }

    void failed(String address, String email) {
        counters.increment(pairKey(address, email), limits.emailWindow());
        counters.increment(emailKey(email), limits.emailWindow());
    }

    void succeeded(String address, String email) {
        counters.clear(pairKey(address, email));
        counters.increment(knownKey(address, email), limits.knownAddressLifetime());
    }

    private static String addressKey(String address) {
        return "login:ip:" + address;
    }

    private static String pairKey(String address, String email) {
        return "login:ip-email:" + address + ":" + email;
    }

    private static String emailKey(String email) {
        return "login:email:" + email;
    }

    private static String knownKey(String address, String email) {
        return "login:known:" + address + ":" + email;
    }
}
