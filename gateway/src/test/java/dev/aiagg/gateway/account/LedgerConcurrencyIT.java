package dev.aiagg.gateway.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.api.Money;
import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.InsufficientFundsException;
import dev.aiagg.api.account.ReserveFunds;
import dev.aiagg.api.account.SettleReservation;
import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.gateway.IntegrationTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sixteen clients reserve and settle on one small account at once. The ledger must never let available funds go
 * below zero, its read models must agree with its events, and a replay must rebuild them exactly.
 */
class LedgerConcurrencyIT extends IntegrationTest {

    private static final int THREADS = 16;
    private static final int PAIRS_PER_THREAD = 500;
    private static final long OPENING_BALANCE = 50_000_000;

    @Autowired
    private CommandGateway commands;

    @Autowired
    private ProcessorControl processors;

    @Autowired
    private JdbcTemplate jdbc;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void concurrentReservationsKeepTheLedgerWhole() throws Exception {
        CompanySession company = newCompany();
        credit(company.companyId(), Money.format(OPENING_BALANCE));
        String accountId = AccountId.of(company.companyId());

        AtomicLong refused = new AtomicLong();
        AtomicLong settledCosts = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(clients.submit(() -> {
                for (int i = 0; i < PAIRS_PER_THREAD; i++) {
                    Pair pair = Pair.random();
                    String requestId = "load-" + thread + "-" + i;
                    try {
                        commands.sendAndWait(new ReserveFunds(accountId, company.companyId(), requestId,
                                pair.holdMicros(), Instant.now().plusSeconds(600), null));
                    } catch (InsufficientFundsException e) {
                        refused.incrementAndGet();
                        continue;
                    }
                    commands.sendAndWait(new SettleReservation(accountId, requestId, pair.costMicros(), "load", null));
                    settledCosts.addAndGet(pair.costMicros());
                }
            }));
        }
        for (Future<?> client : done) {
            client.get(5, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        System.out.printf("LedgerConcurrencyIT: %d reserve/settle pairs (%d refused) in %.1f s = %.0f pairs/s%n",
                THREADS * PAIRS_PER_THREAD, refused.get(), seconds, THREADS * PAIRS_PER_THREAD / seconds);
        assertThat(refused.get()).as("reserves refused for lack of funds").isPositive()
                .isLessThan(THREADS * PAIRS_PER_THREAD / 2);

        Ledger ledger = replayEvents(accountId);
        assertThat(ledger.settledCharged + ledger.settledUncollected).isEqualTo(settledCosts.get());
        assertThat(ledger.reserved).isZero();
        assertThat(ledger.balance).isEqualTo(OPENING_BALANCE - ledger.settledCharged);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> processors.isCaughtUp("ledger"));
        Response balance = call(HttpMethod.GET, "/api/balance", company.accessToken(), null);
        assertThat(Money.parseMicros(balance.text("balance"))).isEqualTo(ledger.balance);
        assertThat(balance.text("reserved")).isEqualTo("0.00");

        List<JsonNode> statement = statement(company);
        long running = 0;
        long charged = 0;
        for (JsonNode entry : statement) {
            long amount = Money.parseMicros(entry.get("amount").asText());
            running += amount;
            assertThat(Money.parseMicros(entry.get("balanceAfter").asText())).as("entry %s", entry).isEqualTo(running);
            if ("CHARGE".equals(entry.get("type").asText())) {
                charged -= amount;
            }
        }
        assertThat(running).as("statement total").isEqualTo(ledger.balance);
        assertThat(charged).as("charges in the statement").isEqualTo(ledger.settledCharged);

        List<Map<String, Object>> before = readModelRows(company.companyId());
        processors.replay("ledger");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> processors.isCaughtUp("ledger"));
        assertThat(readModelRows(company.companyId())).isEqualTo(before);
    }

    /** Walks the account's stored events in order, checking the invariant after each one. */
    private Ledger replayEvents(String accountId) throws IOException {
        Ledger ledger = new Ledger();
        List<Map<String, Object>> events = jdbc.queryForList("""
                select sequence_number, payload_type, payload from domain_event_entry
                where aggregate_identifier = ? order by sequence_number
                """, accountId);
        long expectedSequence = 0;
        for (Map<String, Object> event : events) {
            assertThat(((Number) event.get("sequence_number")).longValue()).isEqualTo(expectedSequence++);
            String type = (String) event.get("payload_type");
            JsonNode payload = json.readTree((byte[]) event.get("payload"));
            ledger.apply(type.substring(type.lastIndexOf('.') + 1), payload);
            assertThat(ledger.balance - ledger.reserved).as("available after event %s: %s", type, payload)
                    .isGreaterThanOrEqualTo(0);
        }
        assertThat(ledger.settlements).as("settlements").isPositive();
        return ledger;
    }

    private List<JsonNode> statement(CompanySession company) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            Response page = call(HttpMethod.GET, "/api/statement?limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    company.accessToken(), null);
            assertThat(page.status()).isEqualTo(200);
            page.body().get("entries").forEach(entries::add);
            cursor = page.text("nextCursor");
        } while (cursor != null);
        return entries;
    }

    private List<Map<String, Object>> readModelRows(String companyId) {
        List<Map<String, Object>> rows = new ArrayList<>(
                jdbc.queryForList("select * from account_balance where company_id = ?", companyId));
        rows.addAll(jdbc.queryForList("select * from statement_entry where company_id = ? order by entry", companyId));
        assertThat(rows).hasSizeGreaterThan(1);
        return rows;
    }

    /**
     * Hold and cost of one request. Most holds are a generous estimate and the cost is far below it; some costs
     * equal the hold, a few exceed it, and a few holds are larger than the whole balance.
     */
    private record Pair(long holdMicros, long costMicros) {

        static Pair random() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int kind = random.nextInt(100);
            if (kind < 2) {
                return new Pair(OPENING_BALANCE + 1 + random.nextLong(1_000_000), 0);
            }
            if (kind < 50) {
                return new Pair(random.nextLong(1_000_000, 10_000_001), random.nextLong(0, 5_001));
            }
            long hold = random.nextLong(100, 5_001);
            if (kind < 90) {
                return new Pair(hold, hold);
            }
            return new Pair(hold, hold + random.nextLong(1, 5_001));
        }
    }

    /** The account's figures as its events state them. */
    private static final class Ledger {

        long balance;
        long reserved;
        long settlements;
        long settledCharged;
        long settledUncollected;

        void apply(String event, JsonNode payload) {
            switch (event) {
                case "AccountOpened" -> {
                    balance = 0;
                    reserved = 0;
                }
                case "BalanceAdjusted", "TopUpCredited" -> balance = payload.get("balanceAfterMicros").asLong();
                case "FundsReserved" -> {
                    assertThat(payload.get("balanceMicros").asLong()).isEqualTo(balance);
                    reserved = payload.get("reservedAfterMicros").asLong();
                }
                case "ReservationSettled" -> {
                    long charged = payload.get("chargedMicros").asLong();
                    assertThat(payload.get("balanceAfterMicros").asLong()).isEqualTo(balance - charged);
                    balance = payload.get("balanceAfterMicros").asLong();
                    reserved = payload.get("reservedAfterMicros").asLong();
                    settlements++;
                    settledCharged += charged;
                    settledUncollected += payload.get("uncollectedMicros").asLong();
                }
                case "ReservationReleased", "ReservationExpired" -> reserved = payload.get("reservedAfterMicros").asLong();
                default -> throw new AssertionError("unexpected account event " + event);
            }
        }
    }
}
