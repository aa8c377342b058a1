package dev.aiagg.gateway.security;

import dev.aiagg.api.NotFoundException;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, read from a verified access token. {@code companyId} is null for platform operators.
 */
public record Caller(String memberId, String companyId, String role, String email) {

    public static final String COMPANY_CLAIM = "cid";
    public static final String ROLE_CLAIM = "role";
    public static final String EMAIL_CLAIM = "email";

    public static Caller from(Jwt jwt) {
        return new Caller(jwt.getSubject(), jwt.getClaimAsString(COMPANY_CLAIM), jwt.getClaimAsString(ROLE_CLAIM),
                jwt.getClaimAsString(EMAIL_CLAIM));
    }

    /** The caller's company; an operator has none, which looks to the caller like an absent resource. */
    public String requireCompanyId() {
        if (companyId == null) {
            throw new NotFoundException("the caller belongs to no company");
        }
        return companyId;
    }
}
