package dev.aiagg.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.provider.Failures;
import dev.aiagg.proxy.provider.Provider;
import dev.aiagg.proxy.provider.UpstreamFailure;
import dev.aiagg.proxy.provider.UpstreamFailure.Cause;
import dev.aiagg.proxy.provider.UpstreamFailure.Next;
import dev.aiagg.proxy.provider.UpstreamReply;
import dev.aiagg.proxy.translation.RequestTranslator;
import dev.aiagg.proxy.translation.ResponseTranslator;
import dev.aiagg.proxy.translation.StreamTranslator;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@link LlmProxy}: orders a route's deployments (lowest priority first, weighted random among the healthy ones
 * of a priority), retries a deployment with exponential backoff and full jitter, or as long as its
 * {@code Retry-After} asks when that is short enough, then falls back to the next one. Each deployment has its own
 * circuit breaker and time limiter (bounding the wait for the answer's headers, not a long stream). A whole call,
 * retries and stream included, lasts at most {@code aiagg.proxy.max-call-duration}.
 */
final class RoutingLlmProxy implements LlmProxy, AutoCloseable {

    private final Map<String, Provider> providers;
    private final TokenCounter tokens;
    private final ProxyProperties properties;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json;
    private final Random random;
    private final RequestTranslator requests;
    private final ResponseTranslator responses;
    private final CircuitBreakerRegistry breakers;
    private final TimeLimiterRegistry limiters;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();

    RoutingLlmProxy(List<Provider> providers, TokenCounter tokens, ProxyProperties properties,
                    ScheduledExecutorService scheduler, ObjectMapper json, Random random) {
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(Provider::name, p -> p));
        this.tokens = tokens;
        this.properties = properties;
        this.scheduler = scheduler;
        this.json = json;
        this.random = random;
        this.requests = new RequestTranslator(json, properties.defaultMaxTokens());
        this.responses = new ResponseTranslator(json);
        ProxyProperties.CircuitBreaker breaker = properties.circuitBreaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .waitDurationInOpenState(breaker.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpen())
                .recordException(thrown -> true)
                .build());
        this.limiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom()
                .timeoutDuration(properties.firstByteTimeout())
                .cancelRunningFuture(true)
                .build());
    }

    /** The health of a deployment's circuit, for operators and tests. */
    CircuitBreaker.State circuitState(Deployment deployment) {
        return breakers.circuitBreaker(deployment.id()).getState();
    }

    @Override
    public CompletableFuture<ProxyResponse> complete(Route route, Dialect clientDialect, ObjectNode request) {
        long start = System.nanoTime();
        return new Call(route, start, (deployment, provider, call) -> {
            Dialect dialect = provider.dialect();
            ObjectNode body = requests.translate(clientDialect, dialect, request, deployment.upstreamModel());
            return readWhole(deployment, () -> provider.chat(body, false), call).thenApply(answer -> {
                if (answer.hasNonNull("error")) {
                    throw Failures.fromErrorEvent(provider.name(), answer);
                }
                Usage reported = responses.usage(dialect, answer);
                Usage usage = reported != null ? reported
                        : estimate(clientDialect, request, deployment, responses.generatedText(dialect, answer), null);
                ObjectNode out = responses.translate(dialect, clientDialect, answer, route.modelId(), usage);
                return new Result(out, outcome(deployment, usage, Status.COMPLETED, null, start, call.attempts,
                        answer.path("id").asText(null)));
            });
        }).run().thenApply(result -> new ProxyResponse(result.body(), result.outcome()));
    }

    @Override
    public CompletableFuture<CallOutcome> stream(Route route, Dialect clientDialect, ObjectNode request,
                                                 StreamSink sink) {
        long start = System.nanoTime();
        boolean includeUsage = clientDialect == Dialect.OPENAI
                && request.path("stream_options").path("include_usage").asBoolean(false);
        return new Call(route, start, (deployment, provider, call) -> {
            Dialect dialect = provider.dialect();
            ObjectNode body = requests.translate(clientDialect, dialect, request, deployment.upstreamModel());
            long promptEstimate = clientDialect == Dialect.ANTHROPIC && dialect != clientDialect
                    ? tokens.promptTokens(List.of(deployment), clientDialect, request) : 0;
            return firstByte(deployment, () -> provider.chat(body, true)).thenCompose(reply -> {
                StreamTranslator translator = new StreamTranslator(provider.name(), dialect, clientDialect,
                        route.modelId(), includeUsage, promptEstimate, json);
                return call.relay(new StreamSession(provider.name(), reply, translator, sink,
                        properties.idleTimeout(), call.deadlineNanos, scheduler, (status, state, error) -> {
                            Usage usage = state.usageComplete() ? state.reportedUsage()
                                    : estimate(clientDialect, request, deployment, state.generatedText(),
                                    state.reportedUsage());
                            return new Result(null, outcome(deployment, usage, status, error, start, call.attempts,
                                    state.upstreamId()));
                        }));
            });
        }).run().thenApply(Result::outcome);
    }

    @Override
    public CompletableFuture<ProxyResponse> embed(Route route, ObjectNode request) {
        long start = System.nanoTime();
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        return new Call(route, start, (deployment, provider, call) -> {
            ObjectNode body = request.deepCopy();
            body.put("model", deployment.upstreamModel());
            body.put("encoding_format", "float");
            return readWhole(deployment, () -> provider.embeddings(body), call).thenApply(answer -> {
                if (answer.hasNonNull("error")) {
                    throw Failures.fromErrorEvent(provider.name(), answer);
                }
                ObjectNode out = answer.deepCopy();
                out.put("object", "list");
                out.put("model", route.modelId());
                if (base64) {
                    for (JsonNode item : out.path("data")) {
                        ((ObjectNode) item).put("embedding", base64(item.path("embedding")));
                    }
                }
                Usage usage;
                if (answer.path("usage").has("prompt_tokens")) {
                    JsonNode cost = answer.path("usage").get("cost");
                    usage = new Usage(answer.path("usage").path("prompt_tokens").asLong(), 0, 0, 0, 0, false,
                            cost != null && cost.isNumber() ? cost.decimalValue() : null);
                } else {
                    usage = new Usage(tokens.inputTokens(List.of(deployment), request.path("input")), 0, 0, 0, 0,
                            true, null);
                    out.putObject("usage").put("prompt_tokens", usage.promptTokens())
                            .put("total_tokens", usage.promptTokens());
                }
                return new Result(out, outcome(deployment, usage, Status.COMPLETED, null, start, call.attempts, null));
            });
        }).run().thenApply(result -> new ProxyResponse(result.body(), result.outcome()));
    }

    @Override
    public void endCalls(ProviderException error) {
        calls.forEach(call -> call.end(error));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** A call's answer; {@code body} is null for streams and failures. */
    record Result(ObjectNode body, CallOutcome outcome) {
    }

    /** One try of one deployment; fails with {@link UpstreamFailure} when it produced nothing for the client. */
    private interface Attempt {
        CompletableFuture<Result> run(Deployment deployment, Provider provider, Call call);
    }

    /**
     * The retries and fallbacks of one call. Its steps run one after the other, never at once; {@link #end} may
     * come from any thread.
     */
    private final class Call {

        private final Route route;
        private final long start;
        private final long deadlineNanos;
        private final Attempt attempt;
        private final List<Deployment> order;
        private final List<UpstreamFailure> failures = new ArrayList<>();
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private int index;
        private int attemptsHere;
        private int attempts;
        private Deployment last;
        private volatile StreamSession session;
        private volatile ProviderException ended;

        Call(Route route, long start, Attempt attempt) {
            this.route = route;
            this.start = start;
            this.deadlineNanos = start + properties.maxCallDuration().toNanos();
            this.attempt = attempt;
            this.order = order(route.deployments());
        }

        CompletableFuture<Result> run() {
            calls.add(this);
            result.whenComplete((answer, thrown) -> calls.remove(this));
            next();
            return result;
        }

        /** Starts relaying a stream, unless the call was ended meanwhile. */
        CompletableFuture<Result> relay(StreamSession stream) {
            session = stream;
            ProviderException endedBy = ended;
            if (endedBy != null) {
                stream.end(endedBy);
                return CompletableFuture.failedFuture(new UpstreamFailure(endedBy, Next.STOP, Cause.REFUSED));
            }
            return stream.start();
        }

        /**
         * Ends the call now: a stream that has begun with an error event (FAILED_MID_STREAM, what was generated in
         * its usage), anything else FAILED with this error.
         */
        void end(ProviderException error) {
            ended = error;
            StreamSession stream = session;
            if (stream != null) {
                stream.end(error);
            } else {
                result.complete(failed(error));
            }
        }

        private void next() {
            try {
                tryNext();
            } catch (RuntimeException e) {
                result.complete(failed(new ProviderException(502, "server_error", "proxy failure: " + e, null)));
            }
        }

        private void tryNext() {
            if (ended != null) {
                result.complete(failed(ended));
                return;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                result.complete(failed(new ProviderException(504, "server_error", "The call reached its time limit of "
                        + properties.maxCallDuration().toSeconds() + " s.", null)));
                return;
            }
            if (index >= order.size()) {
                result.complete(failed(summary()));
                return;
            }
            Deployment deployment = order.get(index);
            Provider provider = providers.get(deployment.provider());
            if (provider == null || !provider.configured()) {
                failures.add(UpstreamFailure.notConfigured(deployment.provider()));
                moveOn();
                return;
            }
            CircuitBreaker breaker = breakers.circuitBreaker(deployment.id());
            if (!breaker.tryAcquirePermission()) {
                failures.add(new UpstreamFailure(new ProviderException(503, "server_error",
                        "deployment " + deployment.id() + " is unavailable (circuit open)", null),
                        Next.NEXT_DEPLOYMENT, Cause.OVERLOADED));
                moveOn();
                return;
            }
            attempts++;
            attemptsHere++;
            last = deployment;
            long attemptStart = System.nanoTime();
            CompletableFuture<Result> running;
            try {
                running = attempt.run(deployment, provider, this);
            } catch (ProviderException refused) {
                running = CompletableFuture.failedFuture(
                        new UpstreamFailure(refused, Next.STOP, Cause.REFUSED));
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((answer, thrown) -> {
                try {
                    settle(deployment, breaker, attemptStart, answer, thrown);
                } catch (RuntimeException e) {
                    result.complete(failed(new ProviderException(502, "server_error",
                            "proxy failure: " + e, null)));
                }
            });
        }

        private void settle(Deployment deployment, CircuitBreaker breaker, long attemptStart, Result answer,
                            Throwable thrown) {
            long took = System.nanoTime() - attemptStart;
            if (ended != null) {
                // Ended from outside (shutdown): no verdict on the deployment.
                breaker.releasePermission();
                result.complete(thrown == null ? answer : failed(ended));
                return;
            }
            if (thrown == null) {
                if (answer.outcome().status() == Status.FAILED_MID_STREAM) {
                    breaker.onError(took, TimeUnit.NANOSECONDS, answer.outcome().error());
                } else {
                    breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                }
                result.complete(answer);
                return;
            }
            UpstreamFailure failure = Failures.fromThrowable(deployment.provider(), thrown);
            if (failure.next() == Next.STOP) {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                result.complete(failed(failure.error()));
                return;
            }
            if (failure.cause() == Cause.REFUSED) {
                breaker.releasePermission();
            } else {
                breaker.onError(took, TimeUnit.NANOSECONDS, failure);
            }
            failures.add(failure);
            Duration pause = retryPause(failure);
            if (pause == null) {
                moveOn();
            } else {
                CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS, scheduler)
                        .execute(this::next);
            }
        }

        private void moveOn() {
            index++;
            attemptsHere = 0;
            next();
        }

        /** Null when the next deployment should be tried instead. */
        private Duration retryPause(UpstreamFailure failure) {
            ProxyProperties.Retry retry = properties.retry();
            if (failure.next() != Next.RETRY || attemptsHere >= retry.maxAttempts()) {
                return null;
            }
            Duration asked = failure.retryAfter();
            if (asked != null) {
                return asked.compareTo(retry.maxRetryAfter()) > 0 ? null : asked;
            }
            long ceiling = Math.min(retry.maxDelay().toNanos(),
                    retry.baseDelay().toNanos() << Math.min(attemptsHere - 1, 30));
            return Duration.ofNanos(ceiling <= 0 ? 0 : (long) (random.nextDouble() * ceiling));
        }

        /** The most telling failure: overload when everything was overloaded, else a timeout, else a bad gateway. */
        private ProviderException summary() {
            if (failures.isEmpty()) {
                return new ProviderException(503, "server_error", "no deployment serves model " + route.modelId(),
                        null);
            }
            ProviderException lastError = failures.get(failures.size() - 1).error();
            if (failures.stream().allMatch(f -> f.cause() == Cause.OVERLOADED)) {
                Duration retryAfter = failures.stream().map(UpstreamFailure::retryAfter).filter(Objects::nonNull)
                        .min(Comparator.naturalOrder()).orElse(null);
                return new ProviderException(503, "server_error", lastError.getMessage(), retryAfter);
            }
            if (failures.stream().allMatch(f -> f.cause() == Cause.REFUSED)) {
                return lastError;
            }
            return failures.stream().filter(f -> f.cause() == Cause.TIMEOUT).findFirst()
                    .map(f -> new ProviderException(504, "server_error", f.getMessage(), null))
                    .orElseGet(() -> new ProviderException(502, "server_error", lastError.getMessage(), null));
        }

        private Result failed(ProviderException error) {
            return new Result(null, outcome(last, Usage.NONE, Status.FAILED, error, start, attempts, null));
        }
    }

    /** Lowest priority first; within a priority a weighted draw, deployments with an open circuit last. */
    private List<Deployment> order(List<Deployment> deployments) {
        TreeMap<Integer, List<Deployment>> byPriority = new TreeMap<>();
        deployments.forEach(d -> byPriority.computeIfAbsent(d.priority(), p -> new ArrayList<>()).add(d));
        List<Deployment> order = new ArrayList<>(deployments.size());
        for (List<Deployment> group : byPriority.values()) {
            List<Deployment> healthy = new ArrayList<>();
            List<Deployment> open = new ArrayList<>();
            for (Deployment d : group) {
                CircuitBreaker.State state = breakers.circuitBreaker(d.id()).getState();
                (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN ? open : healthy).add(d);
            }
            order.addAll(weightedShuffle(healthy));
            order.addAll(open);
        }
        return order;
    }

    private List<Deployment> weightedShuffle(List<Deployment> group) {
        List<Deployment> left = new ArrayList<>(group);
        List<Deployment> out = new ArrayList<>(group.size());
        while (!left.isEmpty()) {
            long total = left.stream().mapToLong(d -> Math.max(0, d.weight())).sum();
            int pick = 0;
            if (total > 0) {
                long draw = (long) (random.nextDouble() * total);
                for (long seen = 0; pick < left.size(); pick++) {
                    seen += Math.max(0, left.get(pick).weight());
                    if (draw < seen) {
                        break;
                    }
                }
            } else {
                pick = random.nextInt(left.size());
            }
            out.add(left.remove(Math.min(pick, left.size() - 1)));
        }
        return out;
    }

    /**
     * Waits for the answer's headers under the deployment's time limiter, then reads the whole body, within the
     * response timeout and what is left of the call's time.
     */
    private CompletableFuture<ObjectNode> readWhole(Deployment deployment, Supplier<CompletableFuture<UpstreamReply>> request,
                                                    Call call) {
        return firstByte(deployment, request).thenCompose(reply -> reply.json().orTimeout(
                Math.max(0, Math.min(properties.responseTimeout().toNanos(), call.deadlineNanos - System.nanoTime())),
                TimeUnit.NANOSECONDS));
    }

    private CompletableFuture<UpstreamReply> firstByte(Deployment deployment,
                                                      Supplier<CompletableFuture<UpstreamReply>> call) {
        AtomicReference<CompletableFuture<UpstreamReply>> started = new AtomicReference<>();
        return limiters.timeLimiter(deployment.id())
                .executeCompletionStage(scheduler, () -> {
                    started.set(call.get());
                    return started.get();
                })
                .toCompletableFuture()
                .whenComplete((reply, thrown) -> {
                    // An answer that arrives after the time limit is nobody's: release its connection.
                    if (thrown != null && started.get() != null) {
                        started.get().thenAccept(UpstreamReply::cancel);
                    }
                });
    }

    /** Usage the provider did not report, counted so that it is never below what the provider would bill. */
    private Usage estimate(Dialect clientDialect, ObjectNode request, Deployment deployment, String generated,
                           Usage reported) {
        long prompt = reported != null && reported.promptTokens() > 0 ? reported.promptTokens()
                : tokens.promptTokens(List.of(deployment), clientDialect, request);
        long completion = Math.max(reported == null ? 0 : reported.completionTokens(),
                tokens.textTokens(deployment, generated));
        return reported == null
                ? new Usage(prompt, 0, 0, completion, 0, true, null)
                : new Usage(prompt, reported.cachedTokens(), reported.cacheWriteTokens(), completion,
                reported.reasoningTokens(), true, reported.upstreamCost());
    }

    private static String base64(JsonNode vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode value : vector) {
            bytes.putFloat(value.floatValue());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static CallOutcome outcome(Deployment deployment, Usage usage, Status status, ProviderException error,
                                       long start, int attempts, String upstreamId) {
        return new CallOutcome(deployment, usage, status, error, Duration.ofNanos(System.nanoTime() - start),
                attempts, upstreamId);
    }
}
