package dev.aiagg.query.account;

import dev.aiagg.api.Money;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.BalanceView;
import dev.aiagg.api.account.FindBalance;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.TopUpCredited;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Balance and reserved funds per company. Every account event carries the figures after it, so each one sets them;
 * an event whose sequence number is not above the last applied one is a redelivery and changes nothing.
 */
@Component
@ProcessingGroup("balance")
class BalanceProjection {

    private static final String OPEN = """
            insert into account_balance (company_id, account_id, currency, credit_limit_micros, balance_micros,
                                         reserved_micros, last_sequence, updated_at)
            values (:companyId, :accountId, :currency, :creditLimit, 0, 0, :sequence, :at)
            on conflict (company_id) do nothing
            """;

    // The insert branch covers an account whose opening event is missing; in order it is always an update.
    private static final String SET_BALANCE = """
            insert into account_balance as b (company_id, account_id, currency, credit_limit_micros, balance_micros,
                                              reserved_micros, last_sequence, updated_at)
            values (:companyId, :accountId, :currency, 0, :balance, 0, :sequence, :at)
            on conflict (company_id) do update
                set balance_micros = excluded.balance_micros, last_sequence = excluded.last_sequence,
                    updated_at = excluded.updated_at
                where b.last_sequence < excluded.last_sequence
            """;

    private static final String SET_RESERVED = """
            insert into account_balance as b (company_id, account_id, currency, credit_limit_micros, balance_micros,
                                              reserved_micros, last_sequence, updated_at)
            values (:companyId, :accountId, :currency, 0, 0, :reserved, :sequence, :at)
            on conflict (company_id) do update
                set reserved_micros = excluded.reserved_micros, last_sequence = excluded.last_sequence,
                    updated_at = excluded.updated_at
                where b.last_sequence < excluded.last_sequence
            """;

    private static final String SET_BOTH = """
            insert into account_balance as b (company_id, account_id, currency, credit_limit_micros, balance_micros,
                                              reserved_micros, last_sequence, updated_at)
            values (:companyId, :accountId, :currency, 0, :balance, :reserved, :sequence, :at)
            on conflict (company_id) do update
                set balance_micros = excluded.balance_micros, reserved_micros = excluded.reserved_micros,
                    last_sequence = excluded.last_sequence, updated_at = excluded.updated_at
                where b.last_sequence < excluded.last_sequence
            """;

    private final NamedParameterJdbcTemplate jdbc;

    BalanceProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(OPEN, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("currency", event.currency())
                .addValue("creditLimit", event.creditLimitMicros()));
    }

    @EventHandler
    void on(TopUpCredited event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(SET_BALANCE, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("balance", event.balanceAfterMicros()));
    }

    @EventHandler
    void on(BalanceAdjusted event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(SET_BALANCE, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("balance", event.balanceAfterMicros()));
    }

    @EventHandler
    void on(FundsReserved event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(SET_BOTH, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("balance", event.balanceMicros())
                .addValue("reserved", event.reservedAfterMicros()));
    }

    @EventHandler
    void on(ReservationSettled event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(SET_BOTH, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("balance", event.balanceAfterMicros())
                .addValue("reserved", event.reservedAfterMicros()));
    }

    @EventHandler
    void on(ReservationReleased event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(SET_RESERVED, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("reserved", event.reservedAfterMicros()));
    }

    @EventHandler
    void on(ReservationExpired event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update(SET_RESERVED, params(event.companyId(), event.accountId(), sequence, at)
                .addValue("reserved", event.reservedAfterMicros()));
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().update("delete from account_balance");
    }

    @QueryHandler
    BalanceView handle(FindBalance query) {
        List<BalanceView> found = jdbc.query("""
                        select balance_micros, reserved_micros, currency from account_balance
                        where company_id = :companyId
                        """,
                new MapSqlParameterSource("companyId", query.companyId()),
                (rs, row) -> {
                    long balance = rs.getLong("balance_micros");
                    long reserved = rs.getLong("reserved_micros");
                    return new BalanceView(query.companyId(), balance, reserved, balance - reserved,
                            rs.getString("currency"));
                });
        return found.isEmpty()
                ? new BalanceView(query.companyId(), 0, 0, 0, Money.CURRENCY)
                : found.get(0);
    }

    private static MapSqlParameterSource params(String companyId, String accountId, long sequence, Instant at) {
        return new MapSqlParameterSource()
                .addValue("companyId", companyId)
                .addValue("accountId", accountId)
                .addValue("currency", Money.CURRENCY)
                .addValue("sequence", sequence)
                .addValue("at", java.sql.Timestamp.from(at));
    }
}
