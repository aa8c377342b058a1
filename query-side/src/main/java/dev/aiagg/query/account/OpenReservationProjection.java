package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountIdList;
import dev.aiagg.api.account.FindAccountsWithOverdueReservations;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Holds still open, by expiry, so the expiry sweep can find the accounts that have overdue ones without loading
 * every account. The events of one account arrive in order, so a hold's row is always written before it is removed.
 * Its own processor, so that the sweep never slows the ledger's.
 */
@Component
@ProcessingGroup("reservations")
class OpenReservationProjection {

    private final NamedParameterJdbcTemplate jdbc;

    OpenReservationProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(FundsReserved event) {
        jdbc.update("""
                        insert into open_reservation (account_id, request_id, expires_at)
                        values (:accountId, :requestId, :expiresAt)
                        on conflict (account_id, request_id) do nothing
                        """,
                new MapSqlParameterSource()
                        .addValue("accountId", event.accountId())
                        .addValue("requestId", event.requestId())
                        .addValue("expiresAt", java.sql.Timestamp.from(event.expiresAt())));
    }

    @EventHandler
    void on(ReservationSettled event) {
        close(event.accountId(), event.requestId());
    }

    @EventHandler
    void on(ReservationReleased event) {
        close(event.accountId(), event.requestId());
    }

    @EventHandler
    void on(ReservationExpired event) {
        close(event.accountId(), event.requestId());
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().execute("truncate open_reservation");
    }

    /** The accounts whose earliest overdue hold is oldest come first. */
    @QueryHandler
    AccountIdList handle(FindAccountsWithOverdueReservations query) {
        return new AccountIdList(jdbc.queryForList("""
                        select account_id from open_reservation where expires_at <= :at
                        group by account_id order by min(expires_at), account_id limit :limit
                        """,
                new MapSqlParameterSource()
                        .addValue("at", java.sql.Timestamp.from(query.at()))
                        .addValue("limit", Math.max(1, query.limit())),
                String.class));
    }

    private void close(String accountId, String requestId) {
        jdbc.update("delete from open_reservation where account_id = :accountId and request_id = :requestId",
                new MapSqlParameterSource()
                        .addValue("accountId", accountId)
                        .addValue("requestId", requestId));
    }
}
