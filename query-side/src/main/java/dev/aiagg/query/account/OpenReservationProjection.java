package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountIdList;
import dev.aiagg.api.account.FindAccountsWithOverdueReservations;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationExtended;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Holds still open, by expiry, so the expiry sweep can find the accounts that have overdue ones without loading
 * every account. Its own processor, so that the sweep never slows the ledger's.
 * <p>
 * A batch writes at commit (see {@link PendingWrites}): a hold made and closed within one batch, which is what most
 * requests do, is never written at all; the others are one upsert (a renewal moves the expiry of a hold written
 * before) and one delete statement per batch. The events of one account arrive in order, so a hold is always
 * reserved before it is renewed or closed.
 */
@Component
@ProcessingGroup("reservations")
class OpenReservationProjection {

    private static final String INSERT = """
            insert into open_reservation (account_id, request_id, expires_at)
            select * from unnest(:accountIds, :requestIds, :expiresAt)
            on conflict (account_id, request_id) do update set expires_at = excluded.expires_at
            """;

    private static final String DELETE = """
            delete from open_reservation r
            using unnest(:accountIds, :requestIds) as c (account_id, request_id)
            where r.account_id = c.account_id and r.request_id = c.request_id
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final PendingWrites<Map<Hold, Instant>> pending;

    OpenReservationProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.pending = new PendingWrites<>(OpenReservationProjection.class.getName(), LinkedHashMap::new,
                this::write);
    }

    @EventHandler
    void on(FundsReserved event) {
        Hold hold = new Hold(event.accountId(), event.requestId());
        Instant expiresAt = Objects.requireNonNull(event.expiresAt(), "a hold without its expiry");
        pending.add(changes -> changes.put(hold, expiresAt));
    }

    /** A renewed lease moves the hold's expiry; the events of an account arrive in order, so never backwards. */
    @EventHandler
    void on(ReservationExtended event) {
        Hold hold = new Hold(event.accountId(), event.requestId());
        Instant expiresAt = Objects.requireNonNull(event.expiresAt(), "a renewal without its expiry");
        pending.add(changes -> changes.put(hold, expiresAt));
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

    /** Truncated, not deleted: a rebuild then writes into a fresh table and index instead of dead rows. */
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

    /** A hold reserved in this batch is simply forgotten; one reserved earlier is marked for deletion (null). */
    private void close(String accountId, String requestId) {
        Hold hold = new Hold(accountId, requestId);
        pending.add(changes -> {
            if (changes.get(hold) != null) {
                changes.remove(hold);
            } else {
                changes.put(hold, null);
            }
        });
    }

    private void write(Map<Hold, Instant> changes) {
        List<Map.Entry<Hold, Instant>> opened = changes.entrySet().stream().filter(c -> c.getValue() != null)
                .toList();
        List<Hold> closed = changes.entrySet().stream().filter(c -> c.getValue() == null).map(Map.Entry::getKey)
                .toList();
        if (!opened.isEmpty()) {
            jdbc.update(INSERT, new MapSqlParameterSource()
                    .addValue("accountIds", SqlArrays.texts(opened, c -> c.getKey().accountId()))
                    .addValue("requestIds", SqlArrays.texts(opened, c -> c.getKey().requestId()))
                    .addValue("expiresAt", SqlArrays.timestamps(opened, Map.Entry::getValue)));
        }
        if (!closed.isEmpty()) {
            jdbc.update(DELETE, new MapSqlParameterSource()
                    .addValue("accountIds", SqlArrays.texts(closed, Hold::accountId))
                    .addValue("requestIds", SqlArrays.texts(closed, Hold::requestId)));
        }
    }

    private record Hold(String accountId, String requestId) {

        Hold {
            Objects.requireNonNull(accountId, "a reservation event without its account id");
            Objects.requireNonNull(requestId, "a reservation event without its request id");
        }
    }
}
