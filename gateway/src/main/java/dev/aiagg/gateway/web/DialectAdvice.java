package dev.aiagg.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Turns a problem made by {@link ProblemAdvice} (an unknown path, a wrong method or media type, an unexpected
 * failure) into the error format of the API the path belongs to, where that is not RFC 7807.
 */
@RestControllerAdvice
class DialectAdvice implements ResponseBodyAdvice<Object> {

    private final ErrorResponses errors;

    DialectAdvice(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (!(body instanceof ProblemDetail problem) || !(request instanceof ServletServerHttpRequest servletRequest)
                || !(response instanceof ServletServerHttpResponse servletResponse)) {
            return body;
        }
        HttpServletResponse raw = servletResponse.getServletResponse();
        String message = problem.getDetail() != null ? problem.getDetail() : ErrorResponses.reason(problem.getStatus());
        JsonNode dialect = errors.dialectBody(servletRequest.getServletRequest(), raw, problem.getStatus(), message);
        if (dialect == null) {
            return body;
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return dialect;
    }
}
