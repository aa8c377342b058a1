package dev.aiagg.bench;

import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.gateway.AiAggregatorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Requests per second and added latency of the LLM API over a local OpenAI-compatible provider that answers at
 * once, with full accounting on: key check, rate limit (Redis), reserve, provider call, settle, events stored
 * durably and published to RabbitMQ. Each scenario first calls the provider directly with the same client and
 * concurrency; the gateway's added latency is the difference. Ends with a ledger check: one charge per answered call.
 * Run: {@code java -Dloader.main=dev.aiagg.bench.ProxyBenchmark -jar bench/target/bench.jar --seconds=10}.
 */
public final class ProxyBenchmark {

    private static final String CHAT = "{\"model\":\"%s\",\"stream\":%s,\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to five\"}]}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String upstream;
    private final int seconds;
    private final int warmUp;
    private final int[] concurrency;

    private ProxyBenchmark(String upstream, int seconds, int warmUp, int[] concurrency) {
        this.upstream = upstream;
        this.seconds = seconds;
        this.warmUp = warmUp;
        this.concurrency = concurrency;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int warmUp = 60;
        int[] concurrency = {1, 8, 32};
        String database = "aiagg_proxy_bench";
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            switch (kv[0]) {
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "warm-up" -> warmUp = Integer.parseInt(kv[1]);
                case "concurrency" -> concurrency = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "database" -> database = kv[1];
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        AiAggregatorApplication.prepareJvm();
        BenchDatabase.recreate("jdbc:postgresql://127.0.0.1:5432/postgres", database);
        int status;
        try (FastUpstream provider = new FastUpstream()) {
            ProxyBenchmark benchmark = new ProxyBenchmark(provider.baseUrl(), seconds, warmUp, concurrency);
            status = BenchClient.runAgainst(
                    List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + database),
                    provider.baseUrl(), benchmark::run);
        }
        // Axon's janitor thread outlives the context and would keep the JVM running.
        System.exit(status);
    }

    private void run(ConfigurableApplicationContext context, String gateway) throws Exception {
        BenchClient client = new BenchClient(gateway);
        BenchClient.Tenant tenant = client.tenant();
        String model = tenant.model();
        String secret = tenant.secret();

        System.out.printf("proxy benchmark: %d s per scenario, %d cores%n", seconds,
                Runtime.getRuntime().availableProcessors());
        // Warm both paths so the first scenario does not pay for class loading and JIT.
        // On two cores the JIT compiler needs about a minute of load before the code it compiles settles.
        int answered = measure(gateway + "/v1/chat/completions", secret, model, false, 8, warmUp * 3 / 4).ok()
                + measure(gateway + "/v1/chat/completions", secret, model, true, 8, warmUp / 4).ok();
        measure(upstream + "/chat/completions", "bench", "bench-upstream", false, 8, 2);

        System.out.println();
        System.out.println("| mode | concurrency | direct req/s | gateway req/s | direct p50/p99 ms "
                + "| gateway p50/p99 ms | added p50/p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (boolean stream : new boolean[] {false, true}) {
            for (int c : concurrency) {
                Result direct = measure(upstream + "/chat/completions", "bench", "bench-upstream", stream, c, seconds);
                Result via = measure(gateway + "/v1/chat/completions", secret, model, stream, c, seconds);
                answered += via.ok();
                System.out.printf("| %s | %d | %,.0f | %,.0f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %d |%n",
                        stream ? "stream" : "plain", c, direct.perSecond(), via.perSecond(), direct.p50(),
                        direct.p99(), via.p50(), via.p99(), via.p50() - direct.p50(), via.p99() - direct.p99(),
                        via.errors());
            }
        }
        client.verifyLedger(context.getBean(ProcessorControl.class), tenant, answered);
    }

    private Result measure(String url, String secret, String model, boolean stream, int clients, int duration)
            throws Exception {
        byte[] body = CHAT.formatted(model, stream).getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long end = System.nanoTime() + Duration.ofSeconds(duration).toNanos();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            workers.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            latencies.add(System.nanoTime() - t0);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (java.io.IOException connectionLost) {
                        errors.incrementAndGet();
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> worker : workers) {
            all.addAll(worker.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length, errors.get(), sorted.length / elapsed,
                sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
                sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6);
    }

    private record Result(int ok, int errors, double perSecond, double p50, double p99) {
    }
}
