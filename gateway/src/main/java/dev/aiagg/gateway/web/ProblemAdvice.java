package dev.aiagg.gateway.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.aiagg.api.DomainException;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.axon.commandbus.CommandBusOverloadedException;
import dev.aiagg.axon.commandbus.CommandTimeoutException;
import dev.aiagg.gateway.dependency.DependencyProperties;
import dev.aiagg.gateway.dependency.Unavailability;
import jakarta.validation.ConstraintViolationException;
import org.axonframework.common.AxonTransientException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.Errors;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Every error of the HTTP API as an RFC 7807 problem. Client mistakes are 4xx with a stable {@code code}; only a
 * fault of the platform itself is a 500, and its detail reveals nothing.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    private static final Set<String> CLIENT_INPUT_CODES = Set.of("invalid_amount", "invalid_input");
    /** How long a client should wait before it retries a request the platform could not take or answer in time. */
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    private final DependencyProperties dependencies;

    ProblemAdvice(DependencyProperties dependencies) {
        this.dependencies = dependencies;
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> refused(ProblemException e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).body(e.toProblem());
    }

    @ExceptionHandler(DomainException.class)
    ResponseEntity<ProblemDetail> domain(DomainException e) {
        return problem(statusOf(e), e.code(), e.getMessage());
    }

    /**
     * PostgreSQL or Redis is down or too slow (once their circuit is open, at once): 503 {@code unavailable} with
     * {@code Retry-After}, never a hang or a 500. Found in the causes too (Axon's buses and JDBC components wrap it).
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, QueryTimeoutException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.debug("Answered 503, a dependency is unavailable: {}", e.toString());
        return refused(ProblemException.unavailable("the service is temporarily unavailable; retry later",
                dependencies.retryAfter()));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> aggregateNotFound(AggregateNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not_found", "not found");
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(DuplicateKeyException e) {
        return problem(HttpStatus.CONFLICT, "already_exists", "already exists");
    }

    @ExceptionHandler(AxonTransientException.class)
    ResponseEntity<ProblemDetail> transientConflict(AxonTransientException e) {
        log.info("Transient conflict, the client may retry: {}", e.getMessage());
        return problem(HttpStatus.CONFLICT, "conflict", "a concurrent change got there first; retry the request");
    }

    @ExceptionHandler(CommandBusOverloadedException.class)
    ResponseEntity<ProblemDetail> overloaded(CommandBusOverloadedException e) {
        return unavailable(e, "the platform is busy; retry the request shortly");
    }

    /** The command may still take effect: retrying it unchanged is safe, its identifiers make it idempotent. */
    @ExceptionHandler(CommandTimeoutException.class)
    ResponseEntity<ProblemDetail> timedOut(CommandTimeoutException e) {
        return unavailable(e, "the request was not answered in time and may still take effect; retry it unchanged");
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> illegalArgument(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid_input", e.getMessage());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
        List<Problems.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problems.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .toList();
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid_input", "Invalid request content.");
        return ResponseEntity.badRequest().body(Problems.withErrors(problem, errors));
    }

    /** Spring Security's firewall refuses a header or parameter value only when the handler reads it. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid_input",
                "a header or parameter holds characters that are not allowed");
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "the caller's role does not allow this");
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        return problem(HttpStatus.UNAUTHORIZED, "unauthorized", "authentication is required");
    }

    /**
     * Axon hands refusals back wrapped ({@code CommandExecutionException}, {@code QueryExecutionException},
     * {@code CompletionException}); the domain's own exception inside decides the answer.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (Unavailability.isDependencyFailure(e)) {
            return unavailable(e);
        }
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof CommandBusOverloadedException overloaded) {
                return overloaded(overloaded);
            }
            if (cause instanceof CommandTimeoutException timedOut) {
                return timedOut(timedOut);
            }
            if (cause instanceof TimeoutException timedOut) {
                return unavailable(timedOut, "the request was not answered in time; retry it shortly");
            }
            if (cause instanceof DomainException domain) {
                return domain(domain);
            }
            if (cause instanceof AggregateNotFoundException notFound) {
                return aggregateNotFound(notFound);
            }
            if (cause instanceof AxonTransientException conflict) {
                return transientConflict(conflict);
            }
            if (cause instanceof IllegalArgumentException illegal) {
                return illegalArgument(illegal);
            }
            if (cause instanceof ProblemException refused) {
                return refused(refused);
            }
        }
        log.error("Request failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem = Problems.withErrors(ex.getBody(), fieldErrors(ex.getBindingResult()));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<Problems.FieldError> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            if (result instanceof ParameterErrors body) {
                // A request body validated with the parameters: its fields are named as they are in the JSON.
                errors.addAll(fieldErrors(body));
            } else {
                result.getResolvableErrors().forEach(error -> errors.add(
                        new Problems.FieldError(nameOf(result.getMethodParameter()), error.getDefaultMessage())));
            }
        });
        ProblemDetail problem = Problems.withErrors(ex.getBody(), errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** A required header that is missing is named like a field. */
    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        if (ex instanceof MissingRequestHeaderException missing) {
            ProblemDetail problem = Problems.withErrors(ex.getBody(),
                    List.of(new Problems.FieldError(missing.getHeaderName(), "is required")));
            return handleExceptionInternal(ex, problem, headers, status, request);
        }
        return super.handleServletRequestBindingException(ex, headers, status, request);
    }

    /** Names the offending field when the JSON was well formed but a value had the wrong type. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "The request body is missing or not valid JSON.");
        if (ex.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ProblemAdvice::pathName)
                    .collect(Collectors.joining("."));
            problem.setDetail("Invalid request content.");
            Problems.withErrors(problem, List.of(new Problems.FieldError(field, "has an invalid value")));
            return handleExceptionInternal(ex, Problems.withCode(problem, "invalid_input"), headers, status, request);
        }
        return handleExceptionInternal(ex, Problems.withCode(problem, "malformed_request"), headers, status, request);
    }

    /** Gives the problems made by Spring MVC (404, 405, 415, ...) the same type and code as ours. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            Problems.withCode(problem, codeOf(statusCode));
        }
        return response;
    }

    private ResponseEntity<ProblemDetail> unavailable(Exception e, String detail) {
        log.info("Answered 503: {}", e.getMessage());
        return refused(ProblemException.unavailable(detail, BUSY_RETRY_AFTER));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
        return ResponseEntity.status(status).body(Problems.of(status, code, detail));
    }

    private static HttpStatus statusOf(DomainException e) {
        if (e instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (e instanceof InsufficientFundsException) {
            return HttpStatus.PAYMENT_REQUIRED;
        }
        return CLIENT_INPUT_CODES.contains(e.code()) ? HttpStatus.BAD_REQUEST : HttpStatus.CONFLICT;
    }

    static String codeOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "invalid_input";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status.is5xxServerError() ? "internal_error" : "http_" + status.value();
        };
    }

    private static List<Problems.FieldError> fieldErrors(Errors result) {
        List<Problems.FieldError> errors = new ArrayList<>();
        result.getFieldErrors().forEach(e -> errors.add(new Problems.FieldError(e.getField(), e.getDefaultMessage())));
        result.getGlobalErrors().forEach(e -> errors.add(new Problems.FieldError(e.getObjectName(), e.getDefaultMessage())));
        return errors;
    }

    private static String pathName(JsonMappingException.Reference reference) {
        return reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]";
    }

    /** A header, path variable or query parameter by the name the client uses for it. */
    private static String nameOf(MethodParameter parameter) {
        RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
        PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
        RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
        String name = header != null ? either(header.name(), header.value())
                : path != null ? either(path.name(), path.value())
                : query != null ? either(query.name(), query.value()) : "";
        return name.isEmpty() ? parameter.getParameterName() : name;
    }

    private static String either(String name, String value) {
        return name.isEmpty() ? value : name;
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
