package dev.aiagg.gateway.web;

import dev.aiagg.axon.correlation.CorrelationKeys;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id (the caller's {@code X-Request-Id}, or a new one), echoes it, and keeps it
 * in the MDC, from where it reaches every log line and the metadata of every message the request causes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class CorrelationFilter extends OncePerRequestFilter {

    static final String REQUEST_ID = "X-Request-Id";
    private static final String ATTRIBUTE = CorrelationFilter.class.getName() + ".id";
    // A caller's id goes into logs and events verbatim, so only a short, plain token is accepted.
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** A request whose body arrived slowly goes on in an async dispatch (RequestBodyFilter), under the same id. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = (String) request.getAttribute(ATTRIBUTE);
        if (correlationId == null) {
            String requested = request.getHeader(REQUEST_ID);
            correlationId = requested != null && ACCEPTED.matcher(requested).matches()
                    ? requested : UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, correlationId);
            response.setHeader(REQUEST_ID, correlationId);
        }
        MDC.put(CorrelationKeys.CORRELATION_ID, correlationId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(CorrelationKeys.CORRELATION_ID);
            MDC.remove(CorrelationKeys.ACTOR);
            MDC.remove(CorrelationKeys.COMPANY_ID);
        }
    }
}
