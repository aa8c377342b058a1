package dev.aiagg.gateway.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The servlet container's last word on a request it refused before any servlet ran (a malformed request line, an
 * invalid percent-encoding or header): the error in the API's own format instead of Tomcat's HTML page.
 */
class ApiErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorReportValve.class);

    private final ObjectProvider<ErrorResponses> errors;

    ApiErrorReportValve(ObjectProvider<ErrorResponses> errors) {
        this.errors = errors;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own: nothing for a success, for an answer already written or for an error already reported.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            errors.getObject().write(request, response, status);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not write the error of a refused request", e);
        }
    }
}
