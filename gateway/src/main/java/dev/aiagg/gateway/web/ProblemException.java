package dev.aiagg.gateway.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.time.Duration;
import java.util.List;

/** A refusal at the edge (credentials, tokens, throttling, request fields) that already knows its HTTP answer. */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<Problems.FieldError> errors;
    private final HttpHeaders headers;

    public ProblemException(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of(), new HttpHeaders());
    }

    private ProblemException(HttpStatus status, String code, String detail, List<Problems.FieldError> errors,
                             HttpHeaders headers) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = errors;
        this.headers = headers;
    }

    /** One request field is wrong in a way bean validation cannot see, such as an unknown referral code. */
    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid_input", "Invalid request content.",
                List.of(new Problems.FieldError(field, message)), new HttpHeaders());
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "too_many_attempts", detail, List.of(),
                retryAfter(retryAfter));
    }

    /** 503 {@code unavailable}: the platform cannot serve the request now; the client may retry after a while. */
    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", detail, List.of(),
                retryAfter(retryAfter));
    }

    private static HttpHeaders retryAfter(Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        return headers;
    }

    HttpStatus status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    ProblemDetail toProblem() {
        ProblemDetail problem = Problems.of(status, code, getMessage());
        return errors.isEmpty() ? problem : Problems.withErrors(problem, errors);
    }
}
