package dev.aiagg.gateway.auth;

import dev.aiagg.api.company.LoginFailed;
import dev.aiagg.api.company.MemberLoggedIn;
import dev.aiagg.api.company.RecordLogin;
import dev.aiagg.gateway.web.ProblemException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import java.util.Optional;

/**
 * Sign-in, refresh and sign-out. Every sign-in attempt that is not throttled becomes an event: a member's on its
 * company, an operator's or an unknown e-mail's as a free-standing event.
 */
@Service
class SignIn {

    private final Credentials credentials;
    private final PasswordEncoder passwordEncoder;
    private final LoginThrottle throttle;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final CommandGateway commandGateway;
    private final EventGateway eventGateway;
    // Compared against when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password.
    private final String decoyHash;

    SignIn(Credentials credentials, PasswordEncoder passwordEncoder, LoginThrottle throttle,
           AccessTokens accessTokens, RefreshTokens refreshTokens, CommandGateway commandGateway,
           EventGateway eventGateway) {
        this.credentials = credentials;
        this.passwordEncoder = passwordEncoder;
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.commandGateway = commandGateway;
        this.eventGateway = eventGateway;
        this.decoyHash = passwordEncoder.encode("decoy-password-0");
    }

    TokenPair login(String email, String password, String address) {
        String normalized = Credentials.normalizeEmail(email);
        throttle.admit(address, normalized);
        Optional<Credential> credential = credentials.findByEmail(normalized);
        boolean matches = passwordEncoder.matches(password, credential.map(Credential::passwordHash).orElse(decoyHash))
                && credential.isPresent();
        record(credential, email, address, matches);
        if (!matches) {
            throttle.failed(address, normalized);
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_credentials", "e-mail or password is wrong");
        }
        throttle.succeeded(address, normalized);
        return pair(credential.get(), refreshTokens.issue(credential.get().memberId()));
    }

    TokenPair refresh(String refreshToken) {
        RefreshTokens.Rotated rotated = refreshTokens.rotate(refreshToken);
        Credential credential = credentials.findByMemberId(rotated.memberId())
                .orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token",
                        "the refresh token is invalid, expired or revoked"));
        return pair(credential, rotated.refreshToken());
    }

    void logout(String refreshToken) {
        refreshTokens.revokeFamilyOf(refreshToken);
    }

    private TokenPair pair(Credential credential, String refreshToken) {
        return new TokenPair(accessTokens.issue(credential), refreshToken, accessTokens.lifetimeSeconds());
    }

    private void record(Optional<Credential> credential, String typedEmail, String address, boolean succeeded) {
        if (credential.isEmpty()) {
            eventGateway.publish(new LoginFailed(null, null, typedEmail, address));
            return;
        }
        Credential known = credential.get();
        if (known.companyId() != null) {
            commandGateway.sendAndWait(new RecordLogin(known.companyId(), known.memberId(), address, succeeded));
        } else if (succeeded) {
            eventGateway.publish(new MemberLoggedIn(null, known.memberId(), address));
        } else {
            eventGateway.publish(new LoginFailed(null, known.memberId(), typedEmail, address));
        }
    }
}
