package dev.aiagg.query.account;

import dev.aiagg.api.Money;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.BalanceView;
import dev.aiagg.api.account.ChargedAgainstHold;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Balance and reserved funds per company. Every account event carries the figures after it, so each one sets them;
 * an event whose sequence number is not above the last applied one is a redelivery and changes nothing.
 * <p>
 * A batch of events ends in the figures of its last event per company, so those are all it writes: one statement
 * for the rows that exist, one for the new ones (see {@link PendingWrites}).
 * <p>
 * Balance and statement share the processor {@code ledger}: one pass over the events, one transaction and one token
 * write per batch for both, which measured more reserve+settle pairs per second than two processors.
 */
@Component
@ProcessingGroup("ledger")
class BalanceProjection {

    // Only figures the batch set; a batch that only opened an account leaves an existing row alone.
    private static final String UPDATE = """
            update account_balance b
            set balance_micros = coalesce(c.balance, b.balance_micros),
                reserved_micros = coalesce(c.reserved, b.reserved_micros),
                last_sequence = c.last_sequence, updated_at = c.updated_at
            from unnest(:companyIds, :balances, :reserved, :sequences, :updatedAt)
                     as c (company_id, balance, reserved, last_sequence, updated_at)
            where b.company_id = c.company_id and b.last_sequence < c.last_sequence
              and (c.balance is not null or c.reserved is not null)
            """;

    // A row starts with the opening's credit limit; figures no event has set yet are zero.
    private static final String INSERT = """
            insert into account_balance (company_id, account_id, currency, credit_limit_micros, balance_micros,
                                         reserved_micros, last_sequence, updated_at)
            select company_id, account_id, currency, coalesce(credit_limit, 0), coalesce(balance, 0),
                   coalesce(reserved, 0), last_sequence, updated_at
            from unnest(:companyIds, :accountIds, :currencies, :creditLimits, :balances, :reserved, :sequences,
                        :updatedAt)
                     as c (company_id, account_id, currency, credit_limit, balance, reserved, last_sequence,
                           updated_at)
            on conflict (company_id) do nothing
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final PendingWrites<Map<String, Figures>> pending;

    BalanceProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.pending = new PendingWrites<>(BalanceProjection.class.getName(), LinkedHashMap::new, this::write);
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long sequence, @Timestamp Instant at) {
        pending.add(byCompany -> {
            if (!byCompany.containsKey(required(event.companyId()))) {
                byCompany.put(event.companyId(), new Figures(event.companyId(), required(event.accountId()),
                        Objects.requireNonNull(event.currency(), "an account opened without a currency"),
                        event.creditLimitMicros(), sequence, at));
            }
        });
    }

    @EventHandler
    void on(TopUpCredited event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), event.balanceAfterMicros(), null, sequence, at);
    }

    @EventHandler
    void on(BalanceAdjusted event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), event.balanceAfterMicros(), null, sequence, at);
    }

    @EventHandler
    void on(FundsReserved event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), event.balanceMicros(), event.reservedAfterMicros(), sequence, at);
    }

    @EventHandler
    void on(ReservationSettled event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), event.balanceAfterMicros(), event.reservedAfterMicros(), sequence,
                at);
    }

    @EventHandler
    void on(ChargedAgainstHold event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), event.balanceAfterMicros(), event.reservedAfterMicros(), sequence,
                at);
    }

    @EventHandler
    void on(ReservationReleased event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), null, event.reservedAfterMicros(), sequence, at);
    }

    @EventHandler
    void on(ReservationExpired event, @SequenceNumber long sequence, @Timestamp Instant at) {
        set(event.companyId(), event.accountId(), null, event.reservedAfterMicros(), sequence, at);
    }

    /** Truncated, not deleted: a rebuild then writes into a fresh table and index instead of dead rows. */
    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().execute("truncate account_balance");
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

    private void set(String companyId, String accountId, Long balance, Long reserved, long sequence, Instant at) {
        pending.add(byCompany -> byCompany
                .computeIfAbsent(required(companyId), company -> new Figures(company, required(accountId),
                        Money.CURRENCY, null, -1, at))
                .set(balance, reserved, sequence, at));
    }

    private void write(Map<String, Figures> byCompany) {
        if (byCompany.isEmpty()) {
            return;
        }
        List<Figures> rows = List.copyOf(byCompany.values());
        MapSqlParameterSource columns = new MapSqlParameterSource()
                .addValue("companyIds", SqlArrays.texts(rows, Figures::companyId))
                .addValue("accountIds", SqlArrays.texts(rows, Figures::accountId))
                .addValue("currencies", SqlArrays.texts(rows, Figures::currency))
                .addValue("creditLimits", SqlArrays.bigints(rows, Figures::creditLimit))
                .addValue("balances", SqlArrays.bigints(rows, Figures::balance))
                .addValue("reserved", SqlArrays.bigints(rows, Figures::reserved))
                .addValue("sequences", SqlArrays.bigints(rows, Figures::sequence))
                .addValue("updatedAt", SqlArrays.timestamps(rows, Figures::updatedAt));
        jdbc.update(UPDATE, columns);
        jdbc.update(INSERT, columns);
    }

    private static String required(String id) {
        return Objects.requireNonNull(id, "an account event without its company or account id");
    }

    /**
     * One company's row as the events of a batch leave it. Like the row itself, it takes an event only above the
     * last sequence number it took; the credit limit comes from an opening that was the company's first event here.
     */
    private static final class Figures {

        private final String companyId;
        private final String accountId;
        private final String currency;
        private final Long creditLimit;
        private Long balance;
        private Long reserved;
        private long sequence;
        private Instant updatedAt;

        Figures(String companyId, String accountId, String currency, Long creditLimit, long sequence,
                Instant updatedAt) {
            this.companyId = companyId;
            this.accountId = accountId;
            this.currency = currency;
            this.creditLimit = creditLimit;
            this.sequence = sequence;
            this.updatedAt = updatedAt;
        }

        void set(Long balance, Long reserved, long sequence, Instant at) {
            if (sequence <= this.sequence) {
                return;
            }
            if (balance != null) {
                this.balance = balance;
            }
            if (reserved != null) {
                this.reserved = reserved;
            }
            this.sequence = sequence;
            this.updatedAt = at;
        }

        String companyId() {
            return companyId;
        }

        String accountId() {
            return accountId;
        }

        String currency() {
            return currency;
        }

        Long creditLimit() {
            return creditLimit;
        }

        Long balance() {
            return balance;
        }

        Long reserved() {
            return reserved;
        }

        Long sequence() {
            return sequence;
        }

        Instant updatedAt() {
            return updatedAt;
        }
    }
}
