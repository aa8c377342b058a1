package dev.aiagg.bench;

import dev.aiagg.api.Money;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AdjustBalance;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.axon.publication.RabbitMqPublication;
import dev.aiagg.gateway.AiAggregatorApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Measures reserve+settle pairs per second on one hot account and spread over many, then replay speed, against the
 * real PostgreSQL (durable commits) and RabbitMQ with every processor and the publication running. Prints figures;
 * asserts nothing but the ledger check at the end.
 */
public final class LedgerBenchmark {

    private static final long PAIR_HOLD_MICROS = 2_000_000;
    private static final long PAIR_COST_MICROS = 1_234_567;

    private final CommandGateway commands;
    private final ProcessorControl processors;
    private final JdbcTemplate jdbc;
    private final BenchOptions options;
    private final AmqpAdmin analytics;

    private LedgerBenchmark(ConfigurableApplicationContext context, BenchOptions options) {
        this.commands = context.getBean(CommandGateway.class);
        this.processors = context.getBean(ProcessorControl.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.options = options;
        this.analytics = context.getBean(AmqpAdmin.class);
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        AiAggregatorApplication.prepareJvm();
        BenchDatabase.recreate(options.adminUrl(), options.database());
        // Command-line arguments outrank the application's own files, so the benchmark's database wins over prod's.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AiAggregatorApplication.class)
                .profiles("prod")
                .run("--spring.datasource.url=" + options.databaseUrl(),
                        "--server.port=0",
                        "--aiagg.security.jwt-secret=benchmark-only-signing-secret-0123456789abcdef",
                        "--logging.level.root=WARN");
        int status = 0;
        try {
            new LedgerBenchmark(context, options).run();
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        } finally {
            context.close();
        }
        // Axon's janitor thread outlives the context and would keep the JVM running.
        System.exit(status);
    }

    private void run() throws Exception {
        // Nothing consumes the analytics queue here; a backlog from earlier runs would weigh on the broker.
        analytics.purgeQueue(RabbitMqPublication.ANALYTICS_QUEUE, false);
        System.out.printf("ledger benchmark: %d pairs per scenario, %d client threads, %d cores%n",
                options.pairs(), options.threads(), Runtime.getRuntime().availableProcessors());
        List<String> hot = companies("hot", 1);
        List<String> spread = companies("spread", options.accounts());
        fund(hot);
        fund(spread);
        // On two cores the JIT compiler needs about a minute of load before the code it compiles settles.
        long warmUpEnd = System.nanoTime() + Duration.ofSeconds(options.warmUpSeconds()).toNanos();
        do {
            pairs("warm-up", hot, Math.min(2_000, options.pairs()));
            pairs("warm-up", spread, Math.min(2_000, options.pairs()));
        } while (System.nanoTime() < warmUpEnd);
        List<Result> results = new ArrayList<>();
        results.add(pairs("hot account", hot, options.pairs()));
        results.add(pairs("spread over " + spread.size() + " accounts", spread, options.pairs()));
        awaitCaughtUp("ledger");

        System.out.println();
        System.out.println("| scenario | pairs | pairs/s | p50 ms | p99 ms | refused |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %s | %d | %,.0f | %.1f | %.1f | %d |%n", r.name(), r.pairs(), r.pairsPerSecond(),
                    r.p50Millis(), r.p99Millis(), r.refused());
        }

        long events = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        System.out.println();
        System.out.println("| replay | events | seconds | events/s per processor |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < options.replays(); i++) {
            replay(events, "ledger");
        }

        LedgerCheck.verify(jdbc, hot, spread, PAIR_COST_MICROS);
        System.out.println();
        System.out.println("ledger check: OK (balance = credits - charges for every account, nothing reserved, "
                + "statement sums to the balance)");
    }

    private static List<String> companies(String prefix, int count) {
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add("bench-" + prefix + "-" + run + "-" + i);
        }
        return ids;
    }

    private void fund(List<String> companyIds) {
        for (String companyId : companyIds) {
            commands.sendAndWait(new AdjustBalance(AccountId.of(companyId), companyId, "funding-" + companyId,
                    LedgerCheck.FUNDING_MICROS, "benchmark funding", "bench"));
        }
    }

    private Result pairs(String name, List<String> companyIds, int pairs) throws Exception {
        long[] latencies = new long[pairs];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads());
        String run = name.replace(' ', '-') + "-" + System.nanoTime();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < pairs) {
                    String companyId = companyIds.get(i % companyIds.size());
                    String accountId = AccountId.of(companyId);
                    String requestId = run + "-" + i;
                    long t0 = System.nanoTime();
                    try {
                        commands.sendAndWait(new ReserveFunds(accountId, companyId, requestId, PAIR_HOLD_MICROS,
                                Instant.now().plus(Duration.ofMinutes(5)), null));
                        commands.sendAndWait(new SettleReservation(accountId, requestId, PAIR_COST_MICROS,
                                "benchmark request", null));
                    } catch (InsufficientFundsException e) {
                        refused.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        Result result = new Result(name, pairs, pairs / seconds, latencies[pairs / 2] / 1e6,
                latencies[(int) (pairs * 0.99)] / 1e6, refused.get());
        System.out.printf("%s: %,.0f pairs/s (%s per pair charged)%n", name, result.pairsPerSecond(),
                Money.format(PAIR_COST_MICROS));
        return result;
    }

    private void replay(long events, String... names) throws InterruptedException {
        awaitCaughtUp(names);
        long start = System.nanoTime();
        for (String name : names) {
            processors.replay(name);
        }
        Thread.sleep(50);
        awaitCaughtUp(names);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("| %s | %,d | %.2f | %,.0f |%n", String.join(" + ", names), events, seconds,
                events / seconds);
    }

    private void awaitCaughtUp(String... names) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!Arrays.stream(names).allMatch(processors::isCaughtUp)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processors did not catch up: " + String.join(", ", names));
            }
            Thread.sleep(10);
        }
    }

    private record Result(String name, int pairs, double pairsPerSecond, double p50Millis, double p99Millis,
                          int refused) {
    }
}
