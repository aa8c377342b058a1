package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.TopUpCredited;
import dev.aiagg.query.QueryDatabase;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
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

/**
 * Both account projections driven as the pooled streaming processor drives them: a batch of events in one unit of
 * work and one transaction, whose prepare-commit also stores the processor's token.
 */
class BatchedWritesTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00.000000500Z");

    private final BalanceProjection balance = new BalanceProjection(QueryDatabase.jdbc());
    private final StatementProjection statement = new StatementProjection(QueryDatabase.jdbc());
    private final List<AnnotationEventHandlerAdapter> handlers = List.of(
            new AnnotationEventHandlerAdapter(balance), new AnnotationEventHandlerAdapter(statement));
    private final TransactionManager transactions = new SpringTransactionManager(
            new DataSourceTransactionManager(QueryDatabase.jdbc().getJdbcTemplate().getDataSource()));
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

    @Test
    void aRowThatCannotBeWrittenRollsBackTheWholeBatchAndItsToken() {
        List<EventMessage<?>> events = new ArrayList<>(ledger());
        events.add(event("cmp_b", 2, new ReservationSettled(AccountId.of("cmp_b"), "cmp_b", "req_nul", 5, 5, 5, 0,
                "a NUL \u0000 PostgreSQL refuses in text", 95, 0, null), T0.plusSeconds(9)));

        ResultMessage<?> result = handleAsBatch(events);

        assertThat(result.isExceptional()).isTrue();
        assertThat(balances()).isEmpty();
        assertThat(entries()).isEmpty();
        assertThat(tokens()).isZero();
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
