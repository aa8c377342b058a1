package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.TopUpCredited;
import dev.aiagg.axon.processing.IsolatedRetries;
import dev.aiagg.query.QueryDatabase;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Both account projections driven as the pooled streaming processor drives them: a batch of events in one unit of
 * work and one transaction, whose prepare-commit also stores the processor's token; after a failed batch, isolated.
 */
class BatchedWritesTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00.000000500Z");

    private final BalanceProjection balance = new BalanceProjection(QueryDatabase.jdbc());
    private final StatementProjection statement = new StatementProjection(QueryDatabase.jdbc());
    private final List<AnnotationEventHandlerAdapter> handlers = List.of(
            new AnnotationEventHandlerAdapter(balance), new AnnotationEventHandlerAdapter(statement));
    private final DataSourceTransactionManager database =
            new DataSourceTransactionManager(QueryDatabase.jdbc().getJdbcTemplate().getDataSource());
    private final TransactionManager transactions = new SpringTransactionManager(database);
    private final IsolatedRetries isolation = new IsolatedRetries(database);
    private final InMemorySequencedDeadLetterQueue<EventMessage<?>> deadLetters =
            InMemorySequencedDeadLetterQueue.defaultQueue();
    private final DeadLetteringEventHandlerInvoker invoker = DeadLetteringEventHandlerInvoker.builder()
            .eventHandlers(balance, statement)
            .queue(deadLetters)
            .enqueuePolicy(isolation.policy())
            .transactionManager(transactions)
            .build();
    private final List<Long> rowsSeenWhileHandling = new ArrayList<>();

    @BeforeEach
    void clean() {
        balance.reset();
        statement.reset();
        QueryDatabase.jdbc().getJdbcOperations().update("delete from token_entry");
    }

    @Test
    void aBatchWritesAtCommitTheSameRowsAsItsEventsOneByOne() {
        List<EventMessage<?>> events = ledger();
        for (EventMessage<?> event : events) {
            handleAlone(event);
        }
        List<Map<String, Object>> balances = balances();
        List<Map<String, Object>> entries = entries();
        balance.reset();
        statement.reset();

        ResultMessage<?> result = handleAsBatch(events);

        assertThat(result.isExceptional()).isFalse();
        assertThat(rowsSeenWhileHandling).containsOnly(0L);
        assertThat(balances()).isEqualTo(balances).hasSize(2);
        assertThat(entries()).isEqualTo(entries).hasSize(3);
        assertThat(tokens()).isEqualTo(1);
    }

    /**
     * A refused row fails its batch and the token stays; the processor's next attempt, isolated, writes each event's
     * rows while handling it, inside a savepoint: the event whose row is refused is undone and dead-lettered with the
     * later events of its account, everything else commits with the token, and the batch after it writes at commit
     * again.
     */
    @Test
    void aRowThatCannotBeWrittenFailsItsBatchAndTheIsolatedRetryDeadLettersOnlyItsEvent() {
        List<EventMessage<?>> events = new ArrayList<>(ledger());
        String b = AccountId.of("cmp_b");
        events.add(event("cmp_b", 2, new BalanceAdjusted(b, "cmp_b", "adj_nul", 50, "a NUL \u0000 PostgreSQL refuses",
                "operator", 150), T0.plusSeconds(7)));
        events.add(event("cmp_b", 3, new TopUpCredited(b, "cmp_b", "pay_3", 10, 160), T0.plusSeconds(8)));
        events.add(event("cmp_a", 6, new TopUpCredited(AccountId.of("cmp_a"), "cmp_a", "pay_4", 1_000_000,
                100_500_000), T0.plusSeconds(9)));

        ResultMessage<?> failed = attempt(events, 1);

        assertThat(failed.isExceptional()).isTrue();
        assertThat(balances()).isEmpty();
        assertThat(entries()).isEmpty();
        assertThat(tokens()).isZero();

        ResultMessage<?> isolated = attempt(events, 2);

        assertThat(isolated.isExceptional()).isFalse();
        assertThat(rowsSeenWhileHandling).as("written while handling").anyMatch(rows -> rows > 0);
        assertThat(balances()).extracting(row -> row.get("company_id"), row -> row.get("balance_micros"),
                        row -> row.get("last_sequence"))
                .containsExactly(tuple("cmp_a", 100_500_000L, 6L), tuple("cmp_b", 100L, 1L));
        assertThat(entries()).extracting(row -> row.get("company_id") + "#" + row.get("entry"))
                .containsExactly("cmp_a#1", "cmp_a#4", "cmp_a#6", "cmp_b#1");
        assertThat(tokens()).isEqualTo(1);
        assertThat(deadLetters.contains(b)).isTrue();
        assertThat(deadLetters.sequenceSize(b)).isEqualTo(2);
        assertThat(deadLetters.amountOfSequences()).isEqualTo(1);

        rowsSeenWhileHandling.clear();
        ResultMessage<?> next = attempt(List.of(event("cmp_a", 7, new TopUpCredited(AccountId.of("cmp_a"), "cmp_a",
                "pay_5", 1, 100_500_001), T0.plusSeconds(10))), 3);

        assertThat(next.isExceptional()).isFalse();
        assertThat(rowsSeenWhileHandling).as("written at commit again").containsOnly(6L);
        assertThat(entries()).hasSize(5);
    }

    /**
     * Like the pooled streaming processor's work package: the batch in one unit of work and transaction, the
     * segment and the token position as its resources, the processor's interceptor around each event, the
     * dead-lettering invoker of the group, and the token written at prepare-commit.
     */
    private ResultMessage<?> attempt(List<EventMessage<?>> events, long tokenPosition) {
        UnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(events);
        unitOfWork.attachTransaction(transactions);
        unitOfWork.resources().put("Processor[ledger]/SegmentId", 0);
        unitOfWork.resources().put("Processor[ledger]/Token", new GlobalSequenceTrackingToken(tokenPosition));
        unitOfWork.onPrepareCommit(u -> QueryDatabase.jdbc().getJdbcOperations().update("""
                insert into token_entry (processor_name, segment, token_type) values ('ledger', 0, 'stand-in')
                on conflict (processor_name, segment) do nothing"""));
        MessageHandlerInterceptor<EventMessage<?>> interceptor = isolation.interceptor("ledger");
        return unitOfWork.executeWithResult(() -> {
            Object result = new DefaultInterceptorChain<EventMessage<?>>(unitOfWork, List.of(interceptor), event -> {
                invoker.handle(event, Segment.ROOT_SEGMENT);
                return null;
            }).proceed();
            rowsSeenWhileHandling.add(QueryDatabase.jdbc().getJdbcOperations().queryForObject(
                    "select (select count(*) from account_balance) + (select count(*) from statement_entry)",
                    Long.class));
            return result;
        });
    }

    /** Company a: opened, topped up, two holds, one settled and one released; company b: a top-up. */
    private static List<EventMessage<?>> ledger() {
        String a = AccountId.of("cmp_a");
        return List.of(
                event("cmp_a", 0, new AccountOpened(a, "cmp_a", "RUB", 5_000_000), T0),
                event("cmp_a", 1, new TopUpCredited(a, "cmp_a", "pay_1", 100_000_000, 100_000_000), T0.plusSeconds(1)),
                event("cmp_b", 1, new TopUpCredited(AccountId.of("cmp_b"), "cmp_b", "pay_2", 100, 100),
                        T0.plusSeconds(2)),
                event("cmp_a", 2, new FundsReserved(a, "cmp_a", "req_1", 3_000_000, T0.plusSeconds(60), 100_000_000,
                        3_000_000, null), T0.plusSeconds(3)),
                event("cmp_a", 3, new FundsReserved(a, "cmp_a", "req_2", 1_000_000, T0.plusSeconds(60), 100_000_000,
                        4_000_000, null), T0.plusSeconds(4)),
                event("cmp_a", 4, new ReservationSettled(a, "cmp_a", "req_1", 3_000_000, 2_500_000, 2_500_000, 0,
                        "gpt-4o", 97_500_000, 1_000_000, null), T0.plusSeconds(5)),
                event("cmp_a", 5, new ReservationReleased(a, "cmp_a", "req_2", 1_000_000, "upstream failed", 0),
                        T0.plusSeconds(6)));
    }

    private void handleAlone(EventMessage<?> event) {
        for (AnnotationEventHandlerAdapter handler : handlers) {
            try {
                handler.handle(event);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private ResultMessage<?> handleAsBatch(List<EventMessage<?>> events) {
        UnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(events);
        unitOfWork.attachTransaction(transactions);
        unitOfWork.onPrepareCommit(u -> QueryDatabase.jdbc().getJdbcOperations().update(
                "insert into token_entry (processor_name, segment, token_type) values ('account', 0, 'stand-in')"));
        return unitOfWork.executeWithResult(() -> {
            handleAlone((EventMessage<?>) CurrentUnitOfWork.get().getMessage());
            rowsSeenWhileHandling.add(QueryDatabase.jdbc().getJdbcOperations().queryForObject(
                    "select (select count(*) from account_balance) + (select count(*) from statement_entry)",
                    Long.class));
            return null;
        });
    }

    private static GenericDomainEventMessage<?> event(String companyId, long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>("Account", AccountId.of(companyId), sequence, payload,
                MetaData.emptyInstance(), UUID.randomUUID().toString(), at);
    }

    private static List<Map<String, Object>> balances() {
        return QueryDatabase.rows("account_balance", "company_id");
    }

    private static List<Map<String, Object>> entries() {
        return QueryDatabase.rows("statement_entry", "company_id, entry");
    }

    private static Integer tokens() {
        return QueryDatabase.jdbc().getJdbcOperations().queryForObject("select count(*) from token_entry",
                Integer.class);
    }
}
