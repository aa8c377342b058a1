package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.axon.correlation.CorrelationKeys;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.gateway.billing.Billing;
import dev.aiagg.gateway.billing.BillingUnavailableException;
import dev.aiagg.proxy.CallOutcome;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.LlmProxy;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.TokenCounter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAI-compatible API ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models}) and
 * Anthropic's ({@code /v1/messages}). Every call: key, model, rate limit, hold, provider, charge. Answers are
 * written asynchronously from the proxy's threads, so no request thread waits on a provider.
 */
@RestController
class LlmController {

    private static final Logger log = LoggerFactory.getLogger(LlmController.class);
    private static final String REQUEST_ID = "X-Request-Id";

    private enum Kind { CHAT, EMBEDDINGS }

    private final KeyGate keys;
    private final Catalogue catalogue;
    private final KeyRateLimiter rateLimiter;
    private final Billing billing;
    private final LlmProxy proxy;
    private final TokenCounter tokens;
    private final LlmErrors errors;
    private final ObjectMapper json;
    private final LlmProperties properties;
    private final ResponseCache cache;

    LlmController(KeyGate keys, Catalogue catalogue, KeyRateLimiter rateLimiter, Billing billing, LlmProxy proxy,
                  TokenCounter tokens, LlmErrors errors, ObjectMapper json, LlmProperties properties,
                  ResponseCache cache) {
        this.keys = keys;
        this.catalogue = catalogue;
        this.rateLimiter = rateLimiter;
        this.billing = billing;
        this.proxy = proxy;
        this.tokens = tokens;
        this.errors = errors;
        this.json = json;
        this.properties = properties;
        this.cache = cache;
    }

    @PostMapping("/v1/chat/completions")
    void chatCompletions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        call(Dialect.OPENAI, Kind.CHAT, request, response);
    }

    @PostMapping("/v1/messages")
    void messages(HttpServletRequest request, HttpServletResponse response) throws IOException {
        call(Dialect.ANTHROPIC, Kind.CHAT, request, response);
    }

    @PostMapping("/v1/embeddings")
    void embeddings(HttpServletRequest request, HttpServletResponse response) throws IOException {
        call(Dialect.OPENAI, Kind.EMBEDDINGS, request, response);
    }

    @GetMapping("/v1/models")
    void models(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String requestId = newRequestId(response);
        try {
            AuthenticatedKey key = keys.admit(request);
            ObjectNode list = json.createObjectNode().put("object", "list");
            ArrayNode data = list.putArray("data");
            for (ModelView model : catalogue.all()) {
                if (KeyGate.mayUse(key, model.modelId())) {
                    data.addObject()
                            .put("id", model.modelId())
                            .put("object", "model")
                            .put("created", model.updatedAt().getEpochSecond())
                            .put("owned_by", model.deployments().isEmpty() ? "aiagg"
                                    : model.deployments().get(0).provider());
                }
            }
            writeJson(response, 200, list, Map.of());
        } catch (LlmException refusal) {
            errors.write(response, Dialect.OPENAI, refusal, requestId);
        }
    }

    private void call(Dialect dialect, Kind kind, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String requestId = newRequestId(response);
        Billing.Call call = null;
        try {
            requireAdmitting();
            AuthenticatedKey key = keys.admit(request);
            MDC.put(CorrelationKeys.ACTOR, "key:" + key.keyId());
            MDC.put(CorrelationKeys.COMPANY_ID, key.companyId());
            if (dialect == Dialect.ANTHROPIC && request.getHeader("anthropic-version") == null) {
                throw badRequest("anthropic-version: header is required");
            }
            ObjectNode body = readBody(request);
            String modelId = requiredText(body, "model");
            ModelView model = catalogue.require(modelId);
            KeyGate.requireModelAllowed(key, modelId);
            boolean stream = kind == Kind.CHAT && body.path("stream").asBoolean(false);
            long promptTokens = kind == Kind.EMBEDDINGS ? embeddingTokens(modelId, body)
                    : tokens.promptTokens(dialect, body);
            long completionCap = kind == Kind.EMBEDDINGS ? 0 : completionCap(dialect, body, model);

            KeyRateLimiter.Admission admission = rateLimiter.admit(key.keyId(),
                    key.limits() == null ? null : key.limits().rpm(),
                    key.limits() == null ? null : key.limits().tpm(), promptTokens + completionCap);
            Map<String, String> headers = new LinkedHashMap<>(admission.headers());
            headers.put(REQUEST_ID, requestId);
            if (!admission.admitted()) {
                boolean requests = admission.rpm() != null && admission.requestsUsed() + 1 > admission.rpm();
                throw new LlmException(429, requests ? "requests" : "tokens", "rate_limit_exceeded",
                        "Rate limit reached for this API key on " + (requests ? "requests" : "tokens")
                                + " per minute. Please try again in " + admission.reset().toSeconds() + "s.",
                        admission.reset(), headers);
            }

            String cacheKey = kind == Kind.CHAT
                    && ResponseCache.applies(request.getHeader(ResponseCache.HEADER), keyCaches(key), stream, body)
                    ? cache.key(key.companyId(), modelId, dialect, body) : null;
            ResponseCache.Entry cached = cacheKey == null ? null : cache.find(cacheKey).orElse(null);

            call = reserve(key, model, requestId, promptTokens, completionCap);
            if (cached != null) {
                headers.put(ResponseCache.HEADER, "hit");
                writeJson(response, 200, cached.body(), headers);
                billing.finishFromCache(call, cached.usage());
                return;
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            if (stream) {
                stream(dialect, body, model, call, async, response, headers);
            } else {
                CompletableFuture<LlmProxy.ProxyResponse> answer = kind == Kind.EMBEDDINGS
                        ? proxy.embed(Catalogue.route(model), body)
                        : proxy.complete(Catalogue.route(model), dialect, body);
                respond(dialect, answer, call, async, response, headers, cacheKey);
            }
        } catch (LlmException refusal) {
            if (call != null) {
                billing.release(call);
            }
            errors.write(response, dialect, refusal, requestId);
        } catch (RuntimeException unexpected) {
            if (call != null) {
                billing.release(call);
            }
            throw unexpected;
        }
    }

    /** Nothing is worked on while this node is shutting down or cannot record charges: 503, retry elsewhere. */
    private void requireAdmitting() {
        try {
            billing.requireAdmitting();
        } catch (BillingUnavailableException e) {
            throw unavailable(e);
        }
    }

    private Billing.Call reserve(AuthenticatedKey key, ModelView model, String requestId, long promptTokens,
                                 long completionCap) {
        try {
            return billing.reserve(key, model, requestId, promptTokens, completionCap);
        } catch (BillingUnavailableException e) {
            throw unavailable(e);
        } catch (KeyBudgetExceededException e) {
            throw new LlmException(402, "insufficient_quota", "insufficient_quota",
                    "This API key has spent its monthly budget.");
        } catch (InsufficientFundsException e) {
            throw new LlmException(402, "insufficient_quota", "insufficient_quota",
                    "You exceeded your current quota: the balance does not cover this request. Top up to go on.");
        }
    }

    private static LlmException unavailable(BillingUnavailableException e) {
        return new LlmException(503, "server_error", "service_unavailable", e.getMessage(), e.retryAfter(), Map.of());
    }

    private void stream(Dialect dialect, ObjectNode body, ModelView model, Billing.Call call, AsyncContext async,
                        HttpServletResponse response, Map<String, String> headers) {
        SseResponse sink = new SseResponse(async, response, headers);
        async.addListener(new ClientWatch(sink));
        Map<String, String> context = MDC.getCopyOfContextMap();
        proxy.stream(Catalogue.route(model), dialect, body, sink).whenComplete((outcome, failure) -> {
            withContext(context, () -> {
                CallOutcome ended = outcome != null ? outcome : failedOutcome(failure);
                if (ended.status() == CallOutcome.Status.FAILED && !sink.started()) {
                    writeQuietly(response, dialect, refusal(ended.error()), call.requestId(), headers);
                }
                sink.complete();
                billing.finish(call, ended);
            });
        });
    }

    private void respond(Dialect dialect, CompletableFuture<LlmProxy.ProxyResponse> answer, Billing.Call call,
                         AsyncContext async, HttpServletResponse response, Map<String, String> headers,
                         String cacheKey) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        answer.whenComplete((result, failure) -> withContext(context, () -> {
            CallOutcome outcome = result != null ? result.outcome() : failedOutcome(failure);
            try {
                if (result != null && result.body() != null && outcome.status() != CallOutcome.Status.FAILED) {
                    if (cacheKey != null) {
                        cache.keep(cacheKey, new ResponseCache.Entry(result.body(), outcome.usage()));
                    }
                    writeJson(response, 200, result.body(), headers);
                } else {
                    writeQuietly(response, dialect, refusal(outcome.error()), call.requestId(), headers);
                }
            } catch (IOException clientGone) {
                log.debug("client went away before the answer of {} was written", call.requestId());
            } finally {
                try {
                    async.complete();
                } catch (IllegalStateException alreadyCompleted) {
                    log.debug("request {} was already completed", call.requestId());
                }
                billing.finish(call, outcome);
            }
        }));
    }

    private void writeQuietly(HttpServletResponse response, Dialect dialect, LlmException refusal, String requestId,
                              Map<String, String> headers) {
        try {
            headers.forEach(response::setHeader);
            errors.write(response, dialect, refusal, requestId);
        } catch (IOException | IllegalStateException clientGone) {
            log.debug("client went away before the error of {} was written", requestId);
        }
    }

    private void writeJson(HttpServletResponse response, int status, JsonNode body, Map<String, String> headers)
            throws IOException {
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        byte[] bytes = json.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.getOutputStream().flush();
    }

    private static LlmException refusal(ProviderException error) {
        if (error == null) {
            return new LlmException(502, "server_error", null, "The provider could not answer.");
        }
        String code = switch (error.status()) {
            case 400, 404, 413, 422 -> null;
            case 503 -> "service_unavailable";
            case 504 -> "timeout";
            default -> "upstream_error";
        };
        return new LlmException(error.status(), error.type(), code, error.getMessage(), error.retryAfter(),
                Map.of());
    }

    private static CallOutcome failedOutcome(Throwable failure) {
        return new CallOutcome(null, dev.aiagg.proxy.Usage.NONE, CallOutcome.Status.FAILED,
                new ProviderException(502, "server_error", "The provider call failed: " + failure, null),
                java.time.Duration.ZERO, 0, null);
    }

    private static boolean keyCaches(AuthenticatedKey key) {
        return key.limits() != null && key.limits().responseCache();
    }

    private long completionCap(Dialect dialect, ObjectNode body, ModelView model) {
        JsonNode cap = dialect == Dialect.ANTHROPIC ? body.get("max_tokens")
                : body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        if (cap == null || cap.isNull()) {
            if (dialect == Dialect.ANTHROPIC) {
                throw badRequest("max_tokens: Field required");
            }
            return model.defaultCompletionCap() != null ? model.defaultCompletionCap()
                    : properties.defaultCompletionCap();
        }
        if (!cap.canConvertToLong() || cap.asLong() < 1) {
            throw badRequest("max_tokens must be a positive integer");
        }
        return cap.asLong();
    }

    private long embeddingTokens(String model, ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw badRequest("'input' is a required property");
        }
        if (input.isTextual()) {
            return tokens.textTokens(model, input.asText());
        }
        if (!input.isArray() || input.isEmpty()) {
            throw badRequest("'input' must be a string, an array of strings or an array of token arrays");
        }
        long count = 0;
        for (JsonNode item : input) {
            if (item.isTextual()) {
                count += tokens.textTokens(model, item.asText());
            } else if (item.isInt()) {
                count++;
            } else if (item.isArray()) {
                count += item.size();
            } else {
                throw badRequest("'input' must be a string, an array of strings or an array of token arrays");
            }
        }
        return count;
    }

    private ObjectNode readBody(HttpServletRequest request) {
        try {
            JsonNode body = json.readTree(request.getInputStream());
            if (body instanceof ObjectNode object) {
                return object;
            }
            throw badRequest("The request body must be a JSON object.");
        } catch (JsonProcessingException e) {
            throw badRequest("We could not parse the JSON body of your request.");
        } catch (IOException e) {
            throw badRequest("The request body could not be read.");
        }
    }

    private static String requiredText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw badRequest("'" + field + "' is a required property");
        }
        return value.asText();
    }

    private static LlmException badRequest(String message) {
        return new LlmException(400, "invalid_request_error", null, message);
    }

    /**
     * Every call gets an id of its own, even when the client sent an {@code X-Request-Id}: it names the call's charge
     * (its statement entry and usage row), and a client's id may repeat. It becomes the correlation id of the call's
     * log lines and of a hold the call opens.
     */
    private static String newRequestId(HttpServletResponse response) {
        String requestId = "req_" + UUID.randomUUID().toString().replace("-", "");
        response.setHeader(REQUEST_ID, requestId);
        MDC.put(CorrelationKeys.CORRELATION_ID, requestId);
        return requestId;
    }

    private static void withContext(Map<String, String> context, Runnable action) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (context != null) {
            MDC.setContextMap(context);
        }
        try {
            action.run();
        } finally {
            if (previous != null) {
                MDC.setContextMap(previous);
            } else {
                MDC.clear();
            }
        }
    }

    /** The container tells us when the client has gone away or the response failed. */
    private record ClientWatch(SseResponse sink) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            sink.clientGone();
        }

        @Override
        public void onError(AsyncEvent event) {
            sink.clientGone();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
