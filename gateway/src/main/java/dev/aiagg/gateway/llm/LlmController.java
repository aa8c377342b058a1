package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.KeyBudgetExceededException;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.axon.commandbus.CommandBusOverloadedException;
import dev.aiagg.axon.commandbus.CommandTimeoutException;
import dev.aiagg.axon.correlation.CorrelationKeys;
import dev.aiagg.gateway.apikey.AuthenticatedKey;
import dev.aiagg.gateway.billing.Billing;
import dev.aiagg.gateway.billing.BillingUnavailableException;
import dev.aiagg.proxy.CallOutcome;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.LlmProxy;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Route;
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
    /** OpenAI's bound on {@code n}. */
    private static final int MAX_CHOICES = 128;

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
    private final BalanceGate balance;
    private final CallAdmission callAdmission;

    LlmController(KeyGate keys, Catalogue catalogue, KeyRateLimiter rateLimiter, Billing billing, LlmProxy proxy,
                  TokenCounter tokens, LlmErrors errors, ObjectMapper json, LlmProperties properties,
                  ResponseCache cache, BalanceGate balance,
                  CallAdmission callAdmission) {
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
        this.balance = balance;
        this.callAdmission = callAdmission;
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
        } catch (RuntimeException failure) {
            errors.write(response, Dialect.OPENAI, unavailableOrRethrow(failure), requestId);
        }
    }

    private void call(Dialect dialect, Kind kind, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String requestId = newRequestId(response);
        long arrived = System.nanoTime();
        Billing.Call call = null;
        try {
            requireAdmitting();
            AuthenticatedKey key = keys.admit(request);
            MDC.put(CorrelationKeys.ACTOR, "key:" + key.keyId());
            MDC.put(CorrelationKeys.COMPANY_ID, key.companyId());
            if (dialect == Dialect.ANTHROPIC && request.getHeader("anthropic-version") == null) {
                throw badRequest("anthropic-version: header is required");
            }
            long bodyStarted = System.nanoTime();
            ObjectNode body = readBody(request);
            // The deadline is for the gateway's own waiting: a slow upload is the client's.
            arrived += System.nanoTime() - bodyStarted;
            String modelId = requiredText(body, "model");
            ModelView model = catalogue.require(modelId);
            KeyGate.requireModelAllowed(key, modelId);
            Route route = Catalogue.route(model);
            boolean stream = kind == Kind.CHAT && body.path("stream").asBoolean(false);
            long promptTokens;
            long completionTokens;
            if (kind == Kind.EMBEDDINGS) {
                JsonNode input = embeddingsInput(body);
                balance.requireFunds(key);
                promptTokens = tokens.inputTokens(route.deployments(), input);
                completionTokens = 0;
            } else {
                long choices = choices(dialect, body);
                long cap = completionCap(dialect, body, model);
                balance.requireFunds(key);
                promptTokens = tokens.promptTokens(route.deployments(), dialect, body);
                // Predicted output the model rejects is billed as completion tokens on top of the answer.
                completionTokens = plus(choices * cap, tokens.predictionTokens(route.deployments(), body));
            }

            KeyRateLimiter.Admission admission = rateLimiter.admit(key.keyId(),
                    key.limits() == null ? null : key.limits().rpm(),
                    key.limits() == null ? null : key.limits().tpm(), plus(promptTokens, completionTokens));
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

            call = reserve(key, model, requestId, promptTokens, completionTokens);
            if (cached != null) {
                headers.put(ResponseCache.HEADER, "hit");
                writeJson(response, 200, cached.body(), headers);
                billing.finishFromCache(call, cached.usage());
                return;
            }
            if (!callAdmission.mayCallProvider(request, System.nanoTime() - arrived)) {
                billing.release(call);
                return;
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            if (stream) {
                stream(dialect, body, route, call, async, response, headers);
            } else {
                CompletableFuture<LlmProxy.ProxyResponse> answer = kind == Kind.EMBEDDINGS
                        ? proxy.embed(route, body)
                        : proxy.complete(route, dialect, body);
                respond(dialect, answer, call, async, response, headers, cacheKey);
            }
        } catch (LlmException refusal) {
            if (call != null) {
                billing.release(call);
            }
            errors.write(response, dialect, refusal, requestId);
        } catch (CommandBusOverloadedException | CommandTimeoutException busy) {
            if (call != null) {
                billing.release(call);
            }
            errors.write(response, dialect, new LlmException(503, "server_error", "service_unavailable",
                    "The platform is busy; retry the request shortly.", java.time.Duration.ofSeconds(1), Map.of()),
                    requestId);
        } catch (RuntimeException failure) {
            if (call != null) {
                billing.release(call);
            }
            errors.write(response, dialect, unavailableOrRethrow(failure), requestId);
        }
    }

    /** A dependency that is down or too slow answers 503 in the caller's dialect; anything else is a fault. */
    private LlmException unavailableOrRethrow(RuntimeException failure) {
        LlmException unavailable = callAdmission.unavailable(failure);
        if (unavailable == null) {
            throw failure;
        }
        return unavailable;
    }

    /** Nothing is worked on while this node is shutting down or cannot record charges: 503, retry elsewhere. */
    private void requireAdmitting() {
        try {
            billing.requireAdmitting();
        } catch (BillingUnavailableException e) {
            throw unavailable(e);
        }
    }

    /** @param completionTokens the most completion tokens the call may be billed for: its cap times its choices */
    private Billing.Call reserve(AuthenticatedKey key, ModelView model, String requestId, long promptTokens,
                                 long completionTokens) {
        try {
            return billing.reserve(key, model, requestId, promptTokens, completionTokens);
        } catch (BillingUnavailableException e) {
            throw unavailable(e);
        } catch (KeyBudgetExceededException e) {
            throw LlmException.budgetSpent();
        } catch (InsufficientFundsException e) {
            throw LlmException.balanceTooLow();
        }
    }

    private static LlmException unavailable(BillingUnavailableException e) {
        return new LlmException(503, "server_error", "service_unavailable", e.getMessage(), e.retryAfter(), Map.of());
    }

    private void stream(Dialect dialect, ObjectNode body, Route route, Billing.Call call, AsyncContext async,
                        HttpServletResponse response, Map<String, String> headers) {
        SseResponse sink = new SseResponse(async, response, headers);
        async.addListener(new ClientWatch(sink));
        Map<String, String> context = MDC.getCopyOfContextMap();
        proxy.stream(route, dialect, body, sink).whenComplete((outcome, failure) -> {
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

    /**
     * The most answer tokens each choice may have: the request's cap, else the model's default, else the configured
     * one, which is then written into the request, so that the provider's answer can be no longer than its hold
     * covers (each provider gets it in the field it reads).
     */
    private long completionCap(Dialect dialect, ObjectNode body, ModelView model) {
        String field = dialect == Dialect.OPENAI && body.hasNonNull("max_completion_tokens")
                ? "max_completion_tokens" : "max_tokens";
        JsonNode cap = body.get(field);
        if (cap == null || cap.isNull()) {
            if (dialect == Dialect.ANTHROPIC) {
                throw badRequest("max_tokens: Field required");
            }
            long defaulted = model.defaultCompletionCap() != null ? model.defaultCompletionCap()
                    : properties.defaultCompletionCap();
            body.put("max_completion_tokens", defaulted);
            return defaulted;
        }
        if (!cap.isIntegralNumber() || !cap.canConvertToLong() || cap.asLong() < 1) {
            throw badRequest(field + " must be a positive integer");
        }
        if (cap.asLong() > properties.maxCompletionCap()) {
            throw badRequest(field + " is too large: " + cap.asText() + ". This model supports at most "
                    + properties.maxCompletionCap() + " completion tokens.");
        }
        return cap.asLong();
    }

    /** OpenAI's {@code n}: how many answers one request asks for, each up to the completion cap. */
    private static long choices(Dialect dialect, ObjectNode body) {
        JsonNode n = body.get("n");
        if (dialect == Dialect.ANTHROPIC || n == null || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_CHOICES) {
            throw badRequest("n must be an integer from 1 to " + MAX_CHOICES);
        }
        return n.asInt();
    }

    private static JsonNode embeddingsInput(ObjectNode body) {
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw badRequest("'input' is a required property");
        }
        if (input.isTextual()) {
            return input;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw badRequest("'input' must be a string, an array of strings or an array of token arrays");
        }
        for (JsonNode item : input) {
            if (!item.isTextual() && !item.isInt() && !item.isArray()) {
                throw badRequest("'input' must be a string, an array of strings or an array of token arrays");
            }
        }
        return input;
    }

    /** Token counts added without overflow: a count that does not fit is the most a long holds. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
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
