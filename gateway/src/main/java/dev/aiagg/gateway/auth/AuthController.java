package dev.aiagg.gateway.auth;

import dev.aiagg.api.Text;
import dev.aiagg.gateway.web.AllowedText;
import dev.aiagg.gateway.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.aiagg.api.Text.Kind.EMAIL;
import static dev.aiagg.api.Text.Kind.IDENTIFIER;

@RestController
@RequestMapping("/api/auth")
@Tag(name = "Sign-in")
@SecurityRequirements
class AuthController {

    private final SignIn signIn;

    AuthController(SignIn signIn) {
        this.signIn = signIn;
    }

    @PostMapping("/login")
    @Operation(summary = "Sign in with e-mail and password",
            description = "Wrong e-mail and wrong password get the same 401. Throttled per address, per address and "
                    + "e-mail, and per e-mail from addresses it never signed in from (429).")
    TokenPair login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        return signIn.login(request.email(), request.password(), clientAddress(http));
    }

    /** Recorded in events and counted by: whatever a trusted proxy put in X-Forwarded-For must be an address. */
    private static String clientAddress(HttpServletRequest http) {
        String address = http.getRemoteAddr();
        if (Text.problem(IDENTIFIER, address) != null) {
            throw ProblemException.invalidField("X-Forwarded-For", "must name the client by its IP address");
        }
        return address;
    }

    @PostMapping("/refresh")
    @Operation(summary = "Spend a refresh token for a new token pair",
            description = "Each refresh token works once; presenting a spent one revokes its whole family.")
    TokenPair refresh(@Valid @RequestBody RefreshRequest request) {
        return signIn.refresh(request.refreshToken());
    }

    @PostMapping("/logout")
    @Operation(summary = "Sign out: revoke the refresh token and every token descended from the same sign-in")
    ResponseEntity<Void> logout(@Valid @RequestBody RefreshRequest request) {
        signIn.logout(request.refreshToken());
        return ResponseEntity.noContent().build();
    }

    record LoginRequest(@NotNull @AllowedText(EMAIL) String email, @NotBlank @Size(max = 1024) String password) {
    }

    record RefreshRequest(@NotBlank @Size(max = 256) String refreshToken) {
    }
}
