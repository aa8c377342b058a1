package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.FindAccountsWithOverdueReservations;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationExtended;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.query.QueryDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

class OpenReservationProjectionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String A = AccountId.of("cmp_a");
    private static final String B = AccountId.of("cmp_b");
    private static final String C = AccountId.of("cmp_c");

    private final OpenReservationProjection projection = new OpenReservationProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void findsTheAccountsWithHoldsOverdueAtAnInstantOldestFirst() {
        reserve(A, "req_1", T0.plusSeconds(30));
        reserve(A, "req_2", T0.plusSeconds(90));
        reserve(B, "req_3", T0.plusSeconds(10));
        reserve(C, "req_4", T0.plusSeconds(120));

        assertThat(overdue(T0)).isEmpty();
        assertThat(overdue(T0.plusSeconds(10))).containsExactly(B);
        assertThat(overdue(T0.plusSeconds(60))).containsExactly(B, A);
        assertThat(projection.handle(new FindAccountsWithOverdueReservations(T0.plusSeconds(600), 2)).accountIds())
                .containsExactly(B, A);
    }

    @Test
    void aHoldSettledReleasedOrExpiredIsNoLongerOpen() {
        reserve(A, "req_1", T0);
        reserve(B, "req_2", T0);
        reserve(C, "req_3", T0);
        reserve(C, "req_4", T0.plusSeconds(600));

        projection.on(new ReservationSettled(A, "cmp_a", "req_1", 10, 5, 5, 0, "usage", 95, 0, null));
        projection.on(new ReservationReleased(B, "cmp_b", "req_2", 10, "upstream failed", 0));
        projection.on(new ReservationExpired(C, "cmp_c", "req_3", 10, T0, 10));

        assertThat(overdue(T0.plusSeconds(1))).isEmpty();
        assertThat(overdue(T0.plusSeconds(600))).containsExactly(C);
    }

    @Test
    void aRenewedHoldIsOverdueOnlyAtItsNewExpiryWhetherWrittenBeforeOrInTheSameBatch() {
        reserve(A, "req_1", T0);
        projection.on(new ReservationExtended(A, "cmp_a", "req_1", T0.plusSeconds(20)));
        List<EventMessage<?>> batch = List.of(
                event(new FundsReserved(B, "cmp_b", "req_2", 10, T0, 100, 10, null, T0.plusSeconds(900))),
                event(new ReservationExtended(B, "cmp_b", "req_2", T0.plusSeconds(30))));
        handleInOneBatch(batch);

        assertThat(overdue(T0.plusSeconds(19))).isEmpty();
        assertThat(overdue(T0.plusSeconds(20))).containsExactly(A);
        assertThat(overdue(T0.plusSeconds(30))).containsExactly(A, B);
    }

    @Test
    void aRedeliveredEventChangesNothingAndAReplayRebuildsIdenticalRows() {
        Runnable events = () -> {
            reserve(A, "req_1", T0);
            reserve(A, "req_2", T0.plusSeconds(5));
            projection.on(new ReservationReleased(A, "cmp_a", "req_1", 10, "cancelled", 10));
        };
        events.run();
        List<Map<String, Object>> rows = QueryDatabase.rows("open_reservation", "account_id, request_id");
        reserve(A, "req_2", T0.plusSeconds(5));
        projection.on(new ReservationReleased(A, "cmp_a", "req_1", 10, "cancelled", 10));
        assertThat(QueryDatabase.rows("open_reservation", "account_id, request_id")).isEqualTo(rows).hasSize(1);

        projection.reset();
        assertThat(QueryDatabase.rows("open_reservation", "account_id, request_id")).isEmpty();
        events.run();
        assertThat(QueryDatabase.rows("open_reservation", "account_id, request_id")).isEqualTo(rows);
    }

    @Test
    void aBatchWritesAtCommitAndNeverWritesAHoldItOpensAndCloses() {
        reserve(A, "req_1", T0);
        List<EventMessage<?>> batch = List.of(
                event(new FundsReserved(A, "cmp_a", "req_2", 10, T0, 100, 20, null)),
                event(new ReservationSettled(A, "cmp_a", "req_2", 10, 5, 5, 0, "usage", 95, 10, null)),
                event(new FundsReserved(B, "cmp_b", "req_3", 10, T0.plusSeconds(5), 100, 10, null)),
                event(new ReservationReleased(A, "cmp_a", "req_1", 10, "cancelled", 0)));
        List<Long> rowsWhileHandling = handleInOneBatch(batch);

        assertThat(rowsWhileHandling).containsOnly(1L);
        assertThat(QueryDatabase.rows("open_reservation", "account_id, request_id"))
                .extracting(row -> row.get("request_id")).containsExactly("req_3");
        assertThat(overdue(T0.plusSeconds(5))).containsExactly(B);
    }

    /** Handles the events in one unit of work, as a processor does; the rows counted after each event. */
    private List<Long> handleInOneBatch(List<EventMessage<?>> batch) {
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projection);
        List<Long> rowsWhileHandling = new ArrayList<>();
        UnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.attachTransaction(new SpringTransactionManager(new DataSourceTransactionManager(
                QueryDatabase.jdbc().getJdbcTemplate().getDataSource())));
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            handler.handle((EventMessage<?>) CurrentUnitOfWork.get().getMessage());
            rowsWhileHandling.add(QueryDatabase.jdbc().getJdbcOperations().queryForObject(
                    "select count(*) from open_reservation", Long.class));
            return null;
        });
        assertThat(result.isExceptional()).isFalse();
        return rowsWhileHandling;
    }

    private static EventMessage<?> event(Object payload) {
        return new GenericEventMessage<>(payload);
    }

    private void reserve(String accountId, String requestId, Instant expiresAt) {
        projection.on(new FundsReserved(accountId, AccountId.companyOf(accountId), requestId, 10, expiresAt, 100, 10,
                null));
    }

    private List<String> overdue(Instant at) {
        return projection.handle(new FindAccountsWithOverdueReservations(at, 100)).accountIds();
    }
}
