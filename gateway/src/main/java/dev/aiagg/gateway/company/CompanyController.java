package dev.aiagg.gateway.company;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompany;
import dev.aiagg.api.company.MemberRole;
import dev.aiagg.gateway.auth.Credentials;
import dev.aiagg.gateway.auth.StrongPassword;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.AllowedText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static dev.aiagg.api.Text.Kind.DISPLAY_NAME;
import static dev.aiagg.api.Text.Kind.EMAIL;
import static dev.aiagg.api.Text.Kind.REFERRAL_CODE;

@RestController
@RequestMapping("/api/companies")
@Tag(name = "Companies")
class CompanyController {

    private final CompanyRegistration registration;
    private final QueryGateway queryGateway;

    CompanyController(CompanyRegistration registration, QueryGateway queryGateway) {
        this.registration = registration;
        this.queryGateway = queryGateway;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @SecurityRequirements
    @Operation(summary = "Register a company and its owner",
            description = "409 when the e-mail is taken; 400 with field errors for a weak or common password, an "
                    + "unknown referral code, or text with characters its field does not allow.")
    CompanyRegistration.Registered register(@Valid @RequestBody RegisterRequest request) {
        return registration.register(request.name(), request.email(), request.password(), request.referralCode());
    }

    @GetMapping("/me")
    @Operation(summary = "The caller's company with its referral code and members")
    CompanyView me(@AuthenticationPrincipal Jwt jwt) {
        String companyId = Caller.from(jwt).requireCompanyId();
        return queryGateway.query(new FindCompany(companyId), ResponseTypes.optionalInstanceOf(CompanyView.class))
                .join()
                .orElseThrow(() -> new NotFoundException("company " + companyId + " not found"));
    }

    @PostMapping("/me/members")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('OWNER','ADMIN')")
    @Operation(summary = "Add a member with a role (owners and admins; only an owner may add an owner)",
            description = "409 company_suspended while the company is suspended.")
    NewMember addMember(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody AddMemberRequest request) {
        Caller caller = Caller.from(jwt);
        MemberRole role = request.memberRole();
        if (role == MemberRole.OWNER && !MemberRole.OWNER.name().equals(caller.role())) {
            throw new AccessDeniedException("only an owner may add another owner");
        }
        String memberId = registration.addMember(caller.requireCompanyId(), request.email(), request.password(),
                role, caller.memberId());
        return new NewMember(memberId, Credentials.normalizeEmail(request.email()), role);
    }

    record RegisterRequest(@NotNull @AllowedText(DISPLAY_NAME) String name,
                           @NotNull @AllowedText(EMAIL) String email,
                           @StrongPassword String password,
                           @AllowedText(REFERRAL_CODE) String referralCode) {
    }

    record AddMemberRequest(@NotNull @AllowedText(EMAIL) String email,
                            @StrongPassword String password,
                            @NotNull @Pattern(regexp = ROLES, message = "must be one of OWNER, ADMIN, DEVELOPER, BILLING, VIEWER")
                            @Schema(allowableValues = {"OWNER", "ADMIN", "DEVELOPER", "BILLING", "VIEWER"})
                            String role) {

        /** Jackson would take a role with control characters around it; the pattern takes the exact name only. */
        static final String ROLES = "OWNER|ADMIN|DEVELOPER|BILLING|VIEWER";

        MemberRole memberRole() {
            return MemberRole.valueOf(role);
        }
    }

    record NewMember(String memberId, String email, MemberRole role) {
    }
}
