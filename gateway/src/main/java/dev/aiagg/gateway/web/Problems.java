package dev.aiagg.gateway.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** RFC 7807 problem details in the one shape every error of the API has: type, title, status, detail, code. */
public final class Problems {

    private static final String TYPE_PREFIX = "urn:aiagg:problem:";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        return withCode(problem, code);
    }

    /** Fills in type, title and code where a problem made elsewhere lacks them. */
    static ProblemDetail withCode(ProblemDetail problem, String code) {
        problem.setType(URI.create(TYPE_PREFIX + code));
        if (problem.getTitle() == null) {
            problem.setTitle(title(problem.getStatus()));
        }
        if (problem.getDetail() == null) {
            problem.setDetail(problem.getTitle());
        }
        problem.setProperty("code", code);
        return problem;
    }

    static ProblemDetail withErrors(ProblemDetail problem, List<FieldError> errors) {
        problem.setProperty("errors", errors.stream()
                .map(e -> Map.of("field", e.field(), "message", e.message()))
                .toList());
        return problem;
    }

    private static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error " + status : known.getReasonPhrase();
    }

    record FieldError(String field, String message) {
    }
}
