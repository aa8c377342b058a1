package dev.aiagg.gateway.security;

import dev.aiagg.axon.correlation.CorrelationKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/** Once the token is verified, names the caller in the MDC, so logs and messages say who acted for which company. */
class CallerMdcFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
            Caller caller = Caller.from(jwt);
            MDC.put(CorrelationKeys.ACTOR, caller.memberId());
            if (caller.companyId() != null) {
                MDC.put(CorrelationKeys.COMPANY_ID, caller.companyId());
            }
        }
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(CorrelationKeys.ACTOR);
            MDC.remove(CorrelationKeys.COMPANY_ID);
        }
    }
}
