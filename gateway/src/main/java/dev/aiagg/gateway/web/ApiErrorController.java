package dev.aiagg.gateway.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page the servlet container forwards to when a request fails outside Spring MVC's handlers (Spring
 * Security's firewall, an exception in a filter, {@code sendError}): the error in the API's own format instead of
 * Spring Boot's. Asked for directly, {@code /error} is a path like any other where nothing is found.
 */
@RestController
class ApiErrorController implements ErrorController {

    private final ErrorResponses errors;

    ApiErrorController(ErrorResponses errors) {
        this.errors = errors;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        errors.write(request, response, status instanceof Integer code && code >= 400 ? code : 404);
    }
}
