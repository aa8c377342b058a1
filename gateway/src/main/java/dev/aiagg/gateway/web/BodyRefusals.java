package dev.aiagg.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the refusal of a request body in the error format of the API that owns the path. A path no bean covers
 * ({@code /api} and the rest) is answered with problem details.
 */
public interface BodyRefusals {

    boolean covers(String path);

    /** Writes status, headers and body; the caller completes the response and closes the connection. */
    void write(HttpServletRequest request, HttpServletResponse response, BodyRefusal refusal, String message)
            throws IOException;
}
