package dev.aiagg.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An API of this application whose errors are not RFC 7807 problems (the LLM API speaks OpenAI's and Anthropic's
 * error formats). Errors that arise outside its own handlers (the servlet container's, Spring MVC's, an unknown path)
 * are written through it, so that a client always reads an error in the format of the API it called.
 */
public interface ErrorDialect {

    /** The error body for a path this dialect owns, or null for any other path. */
    JsonNode body(String path, int status, String message, String requestId);
}
