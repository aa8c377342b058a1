package dev.aiagg.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Errors in the format of the API a path belongs to: an {@link ErrorDialect}'s where one owns the path, an RFC 7807
 * problem everywhere else.
 */
@Component
class ErrorResponses {

    private final List<ErrorDialect> dialects;
    private final ObjectMapper json;

    ErrorResponses(List<ErrorDialect> dialects, ObjectMapper json) {
        this.dialects = dialects;
        this.json = json;
    }

    /** The path the client asked for, also while an error is being forwarded to the error page. */
    static String pathOf(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return original instanceof String path ? path : request.getRequestURI();
    }

    /** The body of a path's own dialect for this error, or null when the path speaks RFC 7807. */
    JsonNode dialectBody(HttpServletRequest request, HttpServletResponse response, int status, String message) {
        String path = pathOf(request);
        if (path == null) {
            return null;
        }
        for (ErrorDialect dialect : dialects) {
            JsonNode body = dialect.body(path, status, message, response.getHeader(CorrelationFilter.REQUEST_ID));
            if (body != null) {
                return body;
            }
        }
        return null;
    }

    /** Writes an error where no Spring MVC handler runs (the servlet container's own refusals). */
    void write(HttpServletRequest request, HttpServletResponse response, int status) throws IOException {
        String message = reason(status);
        JsonNode dialect = dialectBody(request, response, status, message);
        response.setStatus(status);
        if (dialect != null) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), dialect);
            return;
        }
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        ProblemDetail problem = Problems.of(code, ProblemAdvice.codeOf(code), message);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** What a refusal of the servlet container or Spring MVC says, by status. */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "The request is malformed: its request line, a header or the encoding of its path could not "
                    + "be read.";
            case 404 -> "There is nothing at this path.";
            case 405 -> "This path does not take this method.";
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known == null ? "Error " + status : known.getReasonPhrase();
            }
        };
    }
}
