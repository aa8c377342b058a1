package dev.aiagg.query;

import com.sun.management.OperatingSystemMXBean;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.TopUpCredited;
import dev.aiagg.axon.processing.ProcessorControl;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay and live-traffic speed of the balance and statement projections under the real pooled streaming processors
 * on PostgreSQL. Not part of {@code mvn test}; run with
 * {@code mvn -o -pl query-side test -Dtest=ReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}, sized with
 * {@code -Dbench.accounts}, {@code -Dbench.events-per-account}, {@code -Dbench.live-seconds} and
 * {@code -Dbench.live-pairs-per-second}. Prints its figures; fails only when a replay does not rebuild the rows
 * that live processing built.
 */
@SpringBootTest(classes = ReplayBenchmark.Application.class, properties = {
        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + ReplayBenchmark.DATABASE,
        "spring.datasource.username=postgres",
        "logging.level.root=WARN"})
class ReplayBenchmark {

    static final String DATABASE = "aiagg_replay_bench";

    private static final List<String> PROJECTIONS = List.of("ledger", "api-keys", "companies");
    private static final long TOP_UP_MICROS = 1_000_000_000_000L;
    private static final long HOLD_MICROS = 2_000_000;
    private static final long COST_MICROS = 1_234_567;

    static {
        recreateDatabase();
    }

    @Autowired
    private EventStore eventStore;
    @Autowired
    private ProcessorControl processors;
    @Autowired
    private JdbcTemplate jdbc;

    private final int accounts = Integer.getInteger("bench.accounts", 1_000);
    private final int eventsPerAccount = Integer.getInteger("bench.events-per-account", 200);
    private final int liveSeconds = Integer.getInteger("bench.live-seconds", 10);
    private final int livePairsPerSecond = Integer.getInteger("bench.live-pairs-per-second", 2_000);
    private long[] nextSequence;
    private long[] balance;

    @Test
    void replayAndLiveTraffic() throws Exception {
        nextSequence = new long[accounts];
        balance = new long[accounts];
        PROJECTIONS.forEach(processors::pause);
        long filled = fill();
        long start = System.nanoTime();
        PROJECTIONS.forEach(processors::resume);
        awaitCaughtUp(PROJECTIONS);
        report("first build, all four processors", filled, start);

        long live = liveSeconds > 0 ? live() : 0;
        long events = filled + live;
        List<Map<String, Object>> balances = rows("account_balance", "company_id");
        List<Map<String, Object>> entries = rows("statement_entry", "company_id, entry");
        assertThat(balances).hasSize(accounts);

        replay(events, "ledger");

        assertThat(rows("account_balance", "company_id")).isEqualTo(balances);
        assertThat(rows("statement_entry", "company_id, entry")).isEqualTo(entries);
        System.out.println("rows after the replays: identical to the ones live processing built");
    }

    /** Every account opened and topped up, then reserve+settle pairs, interleaved across accounts as live. */
    private long fill() {
        long start = System.nanoTime();
        List<GenericDomainEventMessage<?>> chunk = new ArrayList<>();
        long count = 0;
        for (int round = 0; round < eventsPerAccount; round += 2) {
            for (int account = 0; account < accounts; account++) {
                if (round == 0) {
                    chunk.add(event(account, new AccountOpened(AccountId.of(company(account)), company(account),
                            "RUB", 0)));
                    balance[account] = TOP_UP_MICROS;
                    chunk.add(event(account, new TopUpCredited(AccountId.of(company(account)), company(account),
                            "pay_" + account, TOP_UP_MICROS, TOP_UP_MICROS)));
                } else {
                    chunk.addAll(pair(account));
                }
                if (chunk.size() >= 1_000) {
                    count += chunk.size();
                    eventStore.publish(chunk);
                    chunk = new ArrayList<>();
                }
            }
        }
        count += chunk.size();
        eventStore.publish(chunk);
        report("fill (publish to the event store)", count, start);
        return count;
    }

    /**
     * Reserve+settle pairs at a steady rate through the event store, committed every 10 ms (as grouped commits
     * of the command side would arrive), while all processors run. Reports the CPU the JVM (without the producer)
     * and the database spent.
     */
    private long live() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        Set<Integer> backends = new HashSet<>(backendPids());
        long databaseCpuBefore = cpuTicks(backends);
        long jvmCpuBefore = os.getProcessCpuTime();
        long producerCpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long periodNanos = 10_000_000;
        int pairsPerPeriod = Math.max(1, livePairsPerSecond / 100);
        long pairs = (long) livePairsPerSecond * liveSeconds;
        long published = 0;
        for (long sent = 0; sent < pairs; ) {
            List<GenericDomainEventMessage<?>> period = new ArrayList<>();
            for (int i = 0; i < pairsPerPeriod && sent < pairs; i++, sent++) {
                period.addAll(pair(ThreadLocalRandom.current().nextInt(accounts)));
            }
            eventStore.publish(period);
            published += period.size();
            long due = start + (sent / pairsPerPeriod) * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        awaitCaughtUp(PROJECTIONS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long producerCpu = threads.getCurrentThreadCpuTime() - producerCpuBefore;
        long jvmCpu = os.getProcessCpuTime() - jvmCpuBefore - producerCpu;
        backends.addAll(backendPids());
        long databaseCpu = cpuTicks(backends) - databaseCpuBefore;
        System.out.printf("live: %,d events in %.2f s offered (%,.0f events/s), all processors caught up after "
                        + "%.2f s; JVM CPU without the producer %.2f s (%.0f%% of one core), "
                        + "PostgreSQL CPU incl. appends %.2f s (%.0f%% of one core)%n",
                published, publishSeconds, published / publishSeconds, seconds,
                jvmCpu / 1e9, 100 * jvmCpu / 1e9 / seconds,
                databaseCpu / 100.0, databaseCpu / seconds);
        return published;
    }

    /** Wall time depends on whatever else the machine runs; the CPU spent per event much less so. */
    private void replay(long events, String... names) throws InterruptedException {
        List<String> group = List.of(names);
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        Set<Integer> backends = new HashSet<>(backendPids());
        long databaseCpuBefore = cpuTicks(backends);
        long jvmCpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        group.forEach(processors::replay);
        awaitCaughtUp(group);
        long jvmCpu = os.getProcessCpuTime() - jvmCpuBefore;
        backends.addAll(backendPids());
        long databaseCpu = cpuTicks(backends) - databaseCpuBefore;
        report("replay " + String.join(" + ", names), events, start);
        System.out.printf("    CPU per event and processor: JVM %.1f µs, PostgreSQL %.1f µs%n",
                jvmCpu / 1e3 / events / group.size(), databaseCpu * 1e4 / events / group.size());
    }

    private List<GenericDomainEventMessage<?>> pair(int account) {
        String company = company(account);
        String accountId = AccountId.of(company);
        String request = "req_" + UUID.randomUUID();
        GenericDomainEventMessage<?> reserved = event(account, new FundsReserved(accountId, company, request,
                HOLD_MICROS, Instant.now().plusSeconds(300), balance[account], HOLD_MICROS, null));
        balance[account] -= COST_MICROS;
        GenericDomainEventMessage<?> settled = event(account, new ReservationSettled(accountId, company, request,
                HOLD_MICROS, COST_MICROS, COST_MICROS, 0, "gpt-4o-mini 1200 in / 300 out", balance[account], 0, null));
        return List.of(reserved, settled);
    }

    private GenericDomainEventMessage<?> event(int account, Object payload) {
        String company = company(account);
        MetaData metaData = MetaData.with("correlationId", UUID.randomUUID().toString())
                .and("actor", "key_" + account)
                .and("companyId", company);
        return new GenericDomainEventMessage<>("Account", AccountId.of(company), nextSequence[account]++, payload,
                metaData);
    }

    private static String company(int account) {
        return "cmp_%05d".formatted(account);
    }

    private void awaitCaughtUp(List<String> names) throws InterruptedException {
        Thread.sleep(20);
        while (!names.stream().allMatch(processors::isCaughtUp)) {
            Thread.sleep(10);
        }
    }

    private List<Integer> backendPids() {
        return jdbc.queryForList("select pid from pg_stat_activity where datname = current_database()",
                Integer.class);
    }

    /** User plus system CPU of the given processes, in clock ticks (1/100 s). */
    private static long cpuTicks(Set<Integer> pids) {
        long ticks = 0;
        for (int pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (Exception gone) {
                // A backend that ended took its figures with it.
            }
        }
        return ticks;
    }

    private List<Map<String, Object>> rows(String table, String orderBy) {
        return jdbc.queryForList("select * from " + table + " order by " + orderBy);
    }

    private static void report(String what, long events, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s: %,d events in %.2f s = %,.0f events/s%n", what, events, seconds, events / seconds);
    }

    private static void recreateDatabase() {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
            statement.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the benchmark database " + DATABASE, e);
        }
    }

    @SpringBootApplication(scanBasePackages = {"dev.aiagg.axon", "dev.aiagg.query"})
    static class Application {
    }
}
