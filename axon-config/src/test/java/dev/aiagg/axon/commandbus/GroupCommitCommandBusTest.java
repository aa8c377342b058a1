package dev.aiagg.axon.commandbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.api.DomainException;
import dev.aiagg.axon.AxonIntegrationTest;
import dev.aiagg.axon.correlation.CorrelationKeys;
import dev.aiagg.axon.sample.AddToCappedTally;
import dev.aiagg.axon.sample.AddToTally;
import dev.aiagg.axon.sample.BreakTally;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

class GroupCommitCommandBusTest extends AxonIntegrationTest {

    private static final int CALLERS = 16;
    private static final String HOLD = "hold";

    private final ObjectMapper json = new ObjectMapper();
    private final List<Registration> registrations = new ArrayList<>();

    @Autowired
    CommandBus commandBus;
    @Autowired
    CommandGateway commandGateway;
    @Autowired
    MeterRegistry meterRegistry;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactionTemplate;

    @AfterEach
    void unregister() {
        registrations.forEach(Registration::cancel);
        MDC.clear();
    }

    @Test
    void theBusReplacesAxonsSimpleCommandBus() {
        assertThat(commandBus).isInstanceOf(GroupCommitCommandBus.class);
    }

    @Test
    void callersOfOneAggregateEachGetTheirOwnResultFromFewerTransactions() throws Exception {
        String tallyId = "tally-" + UUID.randomUUID();
        int perCaller = 50;
        Commits before = commits();

        Map<String, List<Long>> totals = fromManyCallers(perCaller, (caller, i) -> tallyId);

        Commits grouped = commits().since(before);
        long commands = (long) CALLERS * perCaller;
        assertThat(totals.get(tallyId)).as("each caller sees the total its own addition made")
                .containsExactlyInAnyOrderElementsOf(oneTo(commands));
        assertThat(storedTotals(tallyId)).containsExactlyElementsOf(oneTo(commands));
        assertThat(grouped.commands()).isEqualTo(commands);
        assertThat(grouped.transactions()).as("commits for %d commands", commands).isLessThan(commands / 2);
    }

    @Test
    void callersOfManyAggregatesEachGetTheirOwnResult() throws Exception {
        String prefix = "tally-" + UUID.randomUUID() + "-";
        int tallies = 40;
        int perCaller = 25;

        Map<String, List<Long>> totals =
                fromManyCallers(perCaller, (caller, i) -> prefix + ((caller * perCaller + i) % tallies));

        long perTally = (long) CALLERS * perCaller / tallies;
        assertThat(totals).hasSize(tallies);
        totals.forEach((tallyId, given) -> {
            assertThat(given).as(tallyId).containsExactlyInAnyOrderElementsOf(oneTo(perTally));
            assertThat(storedTotals(tallyId)).as(tallyId).containsExactlyElementsOf(oneTo(perTally));
        });
    }

    @Test
    void aRefusedCommandFailsAloneWhileTheRestOfItsBatchCommits() throws Exception {
        String tallyId = "tally-" + UUID.randomUUID();
        try (HeldWorker held = holdWorkerOf(tallyId)) {
            CompletableFuture<Long> first = commandGateway.send(new AddToTally(tallyId, 5));
            CompletableFuture<Long> refused = commandGateway.send(new AddToTally(tallyId, 0));
            CompletableFuture<Long> second = commandGateway.send(new AddToTally(tallyId, 7));
            Commits before = commits();
            held.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(6);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(13);
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(DomainException.class).hasMessageContaining("a tally only grows");
            assertThat(commits().since(before)).as("the held command alone, then one commit for the three")
                    .isEqualTo(new Commits(2, 4));
        }
        assertThat(storedTotals(tallyId)).containsExactly(1L, 6L, 13L);
    }

    @Test
    void aCommandRefusedAfterApplyingAnEventLeavesNoEventAndNoStateBehind() throws Exception {
        String tallyId = "tally-" + UUID.randomUUID();
        try (HeldWorker held = holdWorkerOf(tallyId)) {
            CompletableFuture<Long> first = commandGateway.send(new AddToTally(tallyId, 5));
            CompletableFuture<Long> refused = commandGateway.send(new AddToCappedTally(tallyId, 100, 50));
            CompletableFuture<Long> second = commandGateway.send(new AddToTally(tallyId, 7));
            Commits before = commits();
            held.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(6);
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(DomainException.class).hasMessageContaining("cap of 50");
            assertThat(second.get(10, TimeUnit.SECONDS)).as("the refused addition is not part of the total")
                    .isEqualTo(13);
            assertThat(commits().since(before))
                    .as("the held command alone, then the batch rolled back and two commits of one")
                    .isEqualTo(new Commits(3, 3));
        }
        assertThat(storedTotals(tallyId)).containsExactly(1L, 6L, 13L);
        assertThat(commandGateway.<Long>sendAndWait(new AddToTally(tallyId, 1)))
                .as("the cached tally does not remember the refused addition either").isEqualTo(14);
    }

    @Test
    void aCommandFailingOtherwiseFailsAloneOnceItsBatchIsRetriedOneByOne() throws Exception {
        String tallyId = "tally-" + UUID.randomUUID();
        try (HeldWorker held = holdWorkerOf(tallyId)) {
            CompletableFuture<Long> first = commandGateway.send(new AddToTally(tallyId, 5));
            CompletableFuture<Object> broken = commandGateway.send(new BreakTally(tallyId));
            CompletableFuture<Long> second = commandGateway.send(new AddToTally(tallyId, 7));
            Commits before = commits();
            held.release();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(6);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(13);
            assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("is broken");
            assertThat(commits().since(before))
                    .as("the held command alone, then the batch rolled back and two commits of one")
                    .isEqualTo(new Commits(3, 3));
        }
        assertThat(storedTotals(tallyId)).containsExactly(1L, 6L, 13L);
    }

    @Test
    void interceptorsAndTheCallersCorrelationApplyToEveryCommandOfABatch() throws Exception {
        String tallyId = "tally-" + UUID.randomUUID();
        Map<Long, Object> stampsSeenByHandler = new ConcurrentHashMap<>();
        registrations.add(commandBus.registerDispatchInterceptor(messages -> (index, message) ->
                message.andMetaData(Map.of("stamp", "stamp-" + ((AddToTally) message.getPayload()).amount()))));
        registrations.add(commandBus.registerHandlerInterceptor(interceptor(message ->
                stampsSeenByHandler.put(((AddToTally) message.getPayload()).amount(),
                        message.getMetaData().get("stamp")))));

        // Distinct amounts tell the commands apart: caller c sends amounts c * 1000 + i.
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> callers = new ArrayList<>();
        for (int c = 1; c <= CALLERS; c++) {
            int caller = c;
            callers.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    long amount = caller * 1000L + i;
                    MDC.put(CorrelationKeys.CORRELATION_ID, "req-" + amount);
                    commandGateway.sendAndWait(new AddToTally(tallyId, amount));
                }
                MDC.clear();
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Map<String, Object>> events = jdbc.queryForList(
                "select payload, meta_data from domain_event_entry where aggregate_identifier = ?", tallyId);
        assertThat(events).hasSize(CALLERS * 10);
        for (Map<String, Object> event : events) {
            long amount = read(event.get("payload")).path("amount").asLong();
            JsonNode metaData = read(event.get("meta_data"));
            assertThat(metaData.path(CorrelationKeys.CORRELATION_ID).asText()).isEqualTo("req-" + amount);
            assertThat(stampsSeenByHandler.get(amount)).isEqualTo("stamp-" + amount);
        }
    }

    @Test
    void aCommandSentInsideTheCallersTransactionRunsOnTheCallersThreadAndRollsBackWithIt() {
        String tallyId = "tally-" + UUID.randomUUID();
        Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
        registrations.add(commandBus.registerHandlerInterceptor(interceptor(message ->
                handlerThreads.add(Thread.currentThread()))));

        assertThatThrownBy(() -> transactionTemplate.executeWithoutResult(status -> {
            commandGateway.sendAndWait(new AddToTally(tallyId, 1));
            throw new IllegalStateException("the caller's work failed");
        })).hasMessage("the caller's work failed");

        assertThat(handlerThreads).containsExactly(Thread.currentThread());
        assertThat(storedTotals(tallyId)).isEmpty();
    }

    private interface Target {
        String tallyFor(int caller, int index);
    }

    /** Every caller adds 1, perCaller times, to the tallies the target names; returns the totals given, by tally. */
    private Map<String, List<Long>> fromManyCallers(int perCaller, Target target) throws Exception {
        Map<String, List<Long>> totals = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            callers.add(pool.submit(() -> {
                for (int i = 0; i < perCaller; i++) {
                    String tallyId = target.tallyFor(caller, i);
                    long total = commandGateway.sendAndWait(new AddToTally(tallyId, 1));
                    totals.computeIfAbsent(tallyId, id -> new CopyOnWriteArrayList<>()).add(total);
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return totals;
    }

    private static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    /**
     * Makes the worker of the tally wait inside a first command, so that the commands sent meanwhile queue up and
     * are then taken as one batch. The first command adds 1.
     */
    private HeldWorker holdWorkerOf(String tallyId) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registrations.add(commandBus.registerHandlerInterceptor(interceptor(message -> {
            if (message.getMetaData().containsKey(HOLD)) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })));
        CompletableFuture<Long> holding = commandGateway.send(
                GenericCommandMessage.asCommandMessage(new AddToTally(tallyId, 1)).andMetaData(Map.of(HOLD, true)));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the worker took the first command").isTrue();
        return new HeldWorker(release, holding);
    }

    private record HeldWorker(CountDownLatch gate, CompletableFuture<Long> holding) implements AutoCloseable {

        void release() {
            gate.countDown();
        }

        @Override
        public void close() throws ExecutionException, InterruptedException {
            gate.countDown();
            assertThat(holding.get()).isEqualTo(1);
        }
    }

    private static MessageHandlerInterceptor<CommandMessage<?>> interceptor(
            Consumer<CommandMessage<?>> onHandle) {
        return (unitOfWork, chain) -> {
            onHandle.accept(unitOfWork.getMessage());
            return chain.proceed();
        };
    }

    private List<Long> storedTotals(String tallyId) {
        return jdbc.queryForList("select payload from domain_event_entry where aggregate_identifier = ? "
                        + "order by sequence_number", byte[].class, tallyId).stream()
                .map(payload -> read(payload).path("totalAfter").asLong())
                .toList();
    }

    private JsonNode read(Object bytes) {
        try {
            return json.readTree((byte[]) bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Commits(long transactions, long commands) {

        Commits since(Commits before) {
            return new Commits(transactions - before.transactions, commands - before.commands);
        }
    }

    private Commits commits() {
        DistributionSummary summary = meterRegistry.get("aiagg.command-bus.commit.commands").summary();
        return new Commits(summary.count(), Math.round(summary.totalAmount()));
    }
}
