package dev.aiagg.bench;

import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.axon.publication.RabbitMqPublication;
import dev.aiagg.gateway.AiAggregatorApplication;
import dev.aiagg.gateway.faults.TcpProxy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The fault experiment: the whole application on the {@code prod} profile with PostgreSQL, Redis and RabbitMQ each
 * reached through a {@link TcpProxy} of its own on loopback, under a steady load of LLM calls whose clients give up
 * after {@code --client-timeout}. Each dependency in turn is cut (connections reset and refused) or stalled (nothing
 * passes) for {@code --outage} seconds and restored; then figures: calls answered, 503 and other errors before, during
 * and after, how long until calls succeed again, how long until publication has caught up with what was stored in the
 * outage, and how many calls whose client had given up still reached the provider (should be 0). Ends with the ledger
 * check: every call the provider answered charged once, nothing left reserved.
 * Run: {@code java -Dloader.main=dev.aiagg.bench.FaultExperiment -jar bench/target/bench.jar --outage=20}.
 */
public final class FaultExperiment {

    private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"call-%d\"}]}";
    private static final Pattern CALL_ID = Pattern.compile("call-(\\d+)");
    private static final int TIMED_OUT = -1;
    private static final int CONNECTION_FAILED = -2;

    private record Options(int warmUp, int before, int outage, int after, int concurrency, int pauseMillis,
                           Duration clientTimeout, List<String> faults, List<String> modes, String database) {

        static Options parse(String[] args) {
            Map<String, String> given = new ConcurrentHashMap<>();
            for (String arg : args) {
                String[] kv = arg.replaceFirst("^--", "").split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("expected --name=value, got " + arg);
                }
                given.put(kv[0], kv[1]);
            }
            Options options = new Options(
                    Integer.parseInt(given.getOrDefault("warm-up", "20")),
                    Integer.parseInt(given.getOrDefault("before", "5")),
                    Integer.parseInt(given.getOrDefault("outage", "20")),
                    Integer.parseInt(given.getOrDefault("after", "15")),
                    Integer.parseInt(given.getOrDefault("concurrency", "16")),
                    Integer.parseInt(given.getOrDefault("pause-ms", "20")),
                    Duration.ofMillis(Long.parseLong(given.getOrDefault("client-timeout-ms", "3000"))),
                    List.of(given.getOrDefault("faults", "postgres,redis,rabbitmq").split(",")),
                    List.of(given.getOrDefault("modes", "cut,stall").split(",")),
                    given.getOrDefault("database", "aiagg_fault_bench"));
            given.keySet().removeAll(List.of("warm-up", "before", "outage", "after", "concurrency", "pause-ms",
                    "client-timeout-ms", "faults", "modes", "database"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + given.keySet());
            }
            return options;
        }
    }

    /** One call as its client saw it; {@code status} is the HTTP status, or a client-side failure. */
    private record Outcome(long id, long startNanos, long endNanos, int status) {
    }

    private final Options options;
    private final Map<String, TcpProxy> proxies;
    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final Map<Long, Long> abandonedAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> reachedProviderAt;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean loading = true;

    private FaultExperiment(Options options, Map<String, TcpProxy> proxies, String gateway,
                            Map<Long, Long> reachedProviderAt) {
        this.options = options;
        this.proxies = proxies;
        this.gateway = gateway;
        this.reachedProviderAt = reachedProviderAt;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        AiAggregatorApplication.prepareJvm();
        BenchDatabase.recreate("jdbc:postgresql://127.0.0.1:5432/postgres", options.database());
        Map<Long, Long> reachedProviderAt = new ConcurrentHashMap<>();
        int status;
        try (TcpProxy postgres = TcpProxy.to("postgres", 5432);
             TcpProxy redis = TcpProxy.to("redis", 6379);
             TcpProxy rabbitmq = TcpProxy.to("rabbitmq", 5672);
             FastUpstream provider = new FastUpstream(body -> {
                 Matcher call = CALL_ID.matcher(new String(body, StandardCharsets.UTF_8));
                 if (call.find()) {
                     reachedProviderAt.put(Long.parseLong(call.group(1)), System.nanoTime());
                 }
             })) {
            Map<String, TcpProxy> proxies = Map.of("postgres", postgres, "redis", redis, "rabbitmq", rabbitmq);
            status = BenchClient.runAgainst(List.of(
                            "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres.port() + "/"
                                    + options.database(),
                            "--spring.data.redis.port=" + redis.port(),
                            "--spring.rabbitmq.port=" + rabbitmq.port()),
                    provider.baseUrl(), (context, gateway) ->
                            new FaultExperiment(options, proxies, gateway, reachedProviderAt).run(context));
        }
        // Axon's janitor thread outlives the context and would keep the JVM running.
        System.exit(status);
    }

    private void run(ConfigurableApplicationContext context) throws Exception {
        BenchClient client = new BenchClient(gateway);
        BenchClient.Tenant tenant = client.tenant();
        System.out.printf("fault experiment: %d clients (each gives up after %d ms, pauses %d ms between calls), "
                        + "%d s before, %d s of outage and %d s after each fault, %d cores%n",
                options.concurrency(), options.clientTimeout().toMillis(), options.pauseMillis(), options.before(),
                options.outage(), options.after(), Runtime.getRuntime().availableProcessors());
        ExecutorService clients = Executors.newFixedThreadPool(options.concurrency());
        for (int i = 0; i < options.concurrency(); i++) {
            clients.execute(() -> load(tenant));
        }
        Thread.sleep(options.warmUp() * 1000L);

        System.out.println();
        System.out.println("| fault | phase | calls | 200 | 503 | other errors | gave up | p50 / p99 / max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<String> recoveries = new ArrayList<>();
        for (String fault : options.faults()) {
            for (String mode : options.modes()) {
                recoveries.add(scenario(context, fault, mode));
            }
        }
        loading = false;
        clients.shutdown();
        clients.awaitTermination(1, TimeUnit.MINUTES);

        System.out.println();
        System.out.println("| fault | first 200 after restore | last failure after restore | publication resumed "
                + "| publication caught up (events stored since the cut) | gave up, yet sent to the provider |");
        System.out.println("|---|---|---|---|---|---|");
        recoveries.forEach(System.out::println);
        long abandonedAndSent = abandonedAndSent(Long.MIN_VALUE, Long.MAX_VALUE);
        System.out.printf("%n%,d calls; %,d reached the provider; %,d given up by their client, of which %,d reached "
                        + "the provider after their client had given up%n", ids.get(), reachedProviderAt.size(),
                abandonedAt.size(), abandonedAndSent);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        for (String reason : List.of("deadline", "client_gone", "unavailable")) {
            Counter unsent = meters.find("aiagg.llm.calls.unsent").tag("reason", reason).counter();
            System.out.printf("not sent to the provider, %s: %,.0f%n", reason, unsent == null ? 0 : unsent.count());
        }
        client.verifyLedger(context.getBean(ProcessorControl.class), tenant, reachedProviderAt.size());
    }

    private String scenario(ConfigurableApplicationContext context, String fault, String mode) throws Exception {
        TcpProxy proxy = proxies.get(fault);
        long start = System.nanoTime();
        Thread.sleep(options.before() * 1000L);
        long publishedAtCut = publicationPosition(context);
        long cut = System.nanoTime();
        Duration bound = Duration.ofSeconds(options.outage() + 60L);
        if (mode.equals("stall")) {
            proxy.stall(bound);
        } else {
            proxy.cut(bound);
        }
        Thread.sleep(options.outage() * 1000L);
        proxy.restore();
        long restored = System.nanoTime();
        long headAtRestore = head(context);
        Duration resumedAfter = publicationPassed(context, publishedAtCut, restored);
        Duration publishedAfter = publicationPassed(context, headAtRestore - 1, restored);
        long sleepLeft = options.after() * 1000L - Duration.ofNanos(System.nanoTime() - restored).toMillis();
        if (sleepLeft > 0) {
            Thread.sleep(sleepLeft);
        }
        long end = System.nanoTime();

        String name = fault + " " + (mode.equals("stall") ? "silent" : "down");
        printPhase(name, "before", start, cut);
        printPhase(name, "during", cut, restored);
        printPhase(name, "after", restored, end);
        List<Outcome> after = window(restored, end);
        OptionalLong firstOk = after.stream().filter(o -> o.status() == 200).mapToLong(Outcome::endNanos).min();
        OptionalLong lastFailure = after.stream().filter(o -> o.status() != 200).mapToLong(Outcome::endNanos).max();
        long abandonedAndSent = abandonedAndSent(cut, end);
        return "| %s | %s | %s | %s | %s (%,d events) | %d |".formatted(name, seconds(firstOk, restored),
                seconds(lastFailure, restored), seconds(resumedAfter), seconds(publishedAfter),
                Math.max(0, headAtRestore - publishedAtCut), abandonedAndSent);
    }

    /** Calls that reached the provider between these moments, after their client had given up on them. */
    private long abandonedAndSent(long from, long to) {
        return abandonedAt.entrySet().stream()
                .filter(call -> {
                    Long reached = reachedProviderAt.get(call.getKey());
                    return reached != null && reached > call.getValue() && reached >= from && reached < to;
                })
                .count();
    }

    private void load(BenchClient.Tenant tenant) {
        while (loading) {
            long id = ids.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .timeout(options.clientTimeout())
                    .header("Authorization", "Bearer " + tenant.secret())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(tenant.model(), id)))
                    .build();
            long started = System.nanoTime();
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (HttpTimeoutException gaveUp) {
                abandonedAt.put(id, System.nanoTime());
                status = TIMED_OUT;
            } catch (IOException failed) {
                status = CONNECTION_FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcomes.add(new Outcome(id, started, System.nanoTime(), status));
            try {
                Thread.sleep(options.pauseMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Outcome> window(long from, long to) {
        return outcomes.stream().filter(o -> o.startNanos() >= from && o.startNanos() < to).toList();
    }

    private void printPhase(String fault, String phase, long from, long to) {
        List<Outcome> calls = window(from, to);
        long ok = calls.stream().filter(o -> o.status() == 200).count();
        long unavailable = calls.stream().filter(o -> o.status() == 503).count();
        long gaveUp = calls.stream().filter(o -> o.status() == TIMED_OUT).count();
        long other = calls.size() - ok - unavailable - gaveUp;
        long[] millis = calls.stream().mapToLong(o -> (o.endNanos() - o.startNanos()) / 1_000_000).sorted()
                .toArray();
        System.out.printf("| %s | %s | %,d | %,d | %,d | %,d | %,d | %s |%n", fault, phase, calls.size(), ok,
                unavailable, other, gaveUp, millis.length == 0 ? "-" : "%d / %d / %d".formatted(
                        millis[millis.length / 2], millis[(int) (millis.length * 0.99)], millis[millis.length - 1]));
    }

    /** The global position of the newest stored event, asked until the database answers. */
    private static long head(ConfigurableApplicationContext context) throws InterruptedException {
        EventStore events = context.getBean(EventStore.class);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try {
                return events.createHeadToken().position().orElse(-1);
            } catch (RuntimeException databaseNotBackYet) {
                if (System.nanoTime() > deadline) {
                    throw databaseNotBackYet;
                }
                Thread.sleep(50);
            }
        }
    }

    /** How long after {@code since} the publication had passed the position; null if not within 2 min. */
    private static Duration publicationPassed(ConfigurableApplicationContext context, long position, long since)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (publicationPosition(context) > position) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Where the publication stands on this node; -1 while its segment is not claimed (backing off). */
    private static long publicationPosition(ConfigurableApplicationContext context) {
        return context.getBean(EventProcessingConfiguration.class)
                .eventProcessor(RabbitMqPublication.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow()
                .processingStatus().values().stream()
                .map(EventTrackerStatus::getCurrentPosition)
                .mapToLong(p -> p.orElse(-1))
                .min().orElse(-1);
    }

    private static String seconds(OptionalLong at, long since) {
        return at.isEmpty() ? "-" : "%.2f s".formatted((at.getAsLong() - since) / 1e9);
    }

    private static String seconds(Duration took) {
        return took == null ? "not within 2 min" : "%.2f s".formatted(took.toMillis() / 1000.0);
    }
}
