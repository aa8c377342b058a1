package dev.aiagg.query.account;

import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.FindStatement;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.StatementEntry;
import dev.aiagg.api.account.StatementEntryType;
import dev.aiagg.api.account.StatementPage;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ledger entries that move a balance, each with the balance after it. Holds are not entries: they show in the
 * balance's reserved part. Nor is a charge of nothing (a failed call, a free cache hit): it shows in the usage report. The account event's sequence number is the entry number, so a redelivery is a no-op.
 * A batch's entries are written together in one statement. Built by the {@code ledger} processor, beside the balance.
 */
@Component
@ProcessingGroup("ledger")
class StatementProjection {

    static final int MAX_PAGE = 500;

    private static final String INSERT = """
            insert into statement_entry (company_id, entry, occurred_at, type, reference, amount_micros,
                                         balance_after_micros, description)
            select * from unnest(:companyIds, :entries, :occurredAt, :types, :references, :amounts, :balancesAfter,
                                 :descriptions)
            on conflict (company_id, entry) do nothing
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final PendingWrites<List<Entry>> pending;

    StatementProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.pending = new PendingWrites<>(StatementProjection.class.getName(), ArrayList::new, this::write);
    }

    @EventHandler
    void on(TopUpCredited event, @SequenceNumber long sequence, @Timestamp Instant at) {
        record(event.companyId(), sequence, at, StatementEntryType.TOP_UP, event.paymentId(), event.amountMicros(),
                event.balanceAfterMicros(), null);
    }

    @EventHandler
    void on(ReservationSettled event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (event.costMicros() == 0) {
            return;
        }
        record(event.companyId(), sequence, at, StatementEntryType.CHARGE, event.requestId(), -event.chargedMicros(),
                event.balanceAfterMicros(), event.description());
    }

    @EventHandler
    void on(ChargedAgainstHold event, @SequenceNumber long sequence, @Timestamp Instant at) {
        if (event.costMicros() == 0) {
            return;
        }
        record(event.companyId(), sequence, at, StatementEntryType.CHARGE, event.requestId(), -event.chargedMicros(),
                event.balanceAfterMicros(), event.description());
    }

    @EventHandler
    void on(BalanceAdjusted event, @SequenceNumber long sequence, @Timestamp Instant at) {
        record(event.companyId(), sequence, at, StatementEntryType.ADJUSTMENT, event.adjustmentId(),
                event.amountMicros(), event.balanceAfterMicros(), event.reason());
    }

    /** Truncated, not deleted: a rebuild then writes into a fresh table and index instead of dead rows. */
    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().execute("truncate statement_entry");
    }

    @QueryHandler
    StatementPage handle(FindStatement query) {
        int limit = Math.max(1, Math.min(MAX_PAGE, query.limit()));
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("companyId", query.companyId())
                .addValue("afterEntry", query.afterEntry() == null ? -1L : query.afterEntry())
                .addValue("limit", limit + 1);
        StringBuilder sql = new StringBuilder("""
                select entry, occurred_at, type, reference, amount_micros, balance_after_micros, description
                from statement_entry
                where company_id = :companyId and entry > :afterEntry
                """);
        if (query.from() != null) {
            sql.append(" and occurred_at >= :from");
            params.addValue("from", java.sql.Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            sql.append(" and occurred_at < :to");
            params.addValue("to", java.sql.Timestamp.from(query.to()));
        }
        if (query.type() != null) {
            sql.append(" and type = :type");
            params.addValue("type", query.type().name());
        }
        sql.append(" order by entry limit :limit");
        List<StatementEntry> entries = jdbc.query(sql.toString(), params, (rs, row) -> new StatementEntry(
                rs.getLong("entry"),
                rs.getTimestamp("occurred_at").toInstant(),
                StatementEntryType.valueOf(rs.getString("type")),
                rs.getString("reference"),
                rs.getLong("amount_micros"),
                rs.getLong("balance_after_micros"),
                rs.getString("description")));
        if (entries.size() <= limit) {
            return new StatementPage(List.copyOf(entries), null);
        }
        List<StatementEntry> page = List.copyOf(entries.subList(0, limit));
        return new StatementPage(page, page.get(limit - 1).entry());
    }

    private void record(String companyId, long entry, Instant at, StatementEntryType type, String reference,
                        long amountMicros, long balanceAfterMicros, String description) {
        Entry row = new Entry(Objects.requireNonNull(companyId, "a ledger event without its company id"), entry, at,
                type.name(), Objects.requireNonNull(reference, "a ledger event without its reference"),
                amountMicros, balanceAfterMicros, description);
        pending.add(entries -> entries.add(row));
    }

    /** All entries of a batch in one statement (see {@link PendingWrites}). */
    private void write(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.update(INSERT, new MapSqlParameterSource()
                .addValue("companyIds", SqlArrays.texts(entries, Entry::companyId))
                .addValue("entries", SqlArrays.bigints(entries, Entry::entry))
                .addValue("occurredAt", SqlArrays.timestamps(entries, Entry::occurredAt))
                .addValue("types", SqlArrays.texts(entries, Entry::type))
                .addValue("references", SqlArrays.texts(entries, Entry::reference))
                .addValue("amounts", SqlArrays.bigints(entries, Entry::amountMicros))
                .addValue("balancesAfter", SqlArrays.bigints(entries, Entry::balanceAfterMicros))
                .addValue("descriptions", SqlArrays.texts(entries, Entry::description)));
    }

    private record Entry(String companyId, Long entry, Instant occurredAt, String type, String reference,
                         Long amountMicros, Long balanceAfterMicros, String description) {
    }
}
