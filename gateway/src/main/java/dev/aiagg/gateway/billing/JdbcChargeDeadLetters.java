package dev.aiagg.gateway.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.api.account.ChargeAgainstHold.CallCharge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The refused charges, in table {@code charge_dead_letter}. Every charge kept here is counted
 * ({@code aiagg.billing.charges.dead.lettered}) and logged; {@code aiagg.billing.charge.dead.letters} says how many
 * wait, as this node last counted them (after each change it makes, and every minute).
 */
@Component
class JdbcChargeDeadLetters implements ChargeDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(JdbcChargeDeadLetters.class);
    private static final String COLUMNS =
            "request_id, company_id, hold_id, charge, code, reason, refused_at, attempts";

    /** A dead letter as operators see it. */
    record Letter(RefusedCharge refused, int attempts) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Counter kept;
    private final AtomicLong waiting = new AtomicLong();

    JdbcChargeDeadLetters(JdbcTemplate jdbc, ObjectMapper json, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.json = json;
        this.kept = Counter.builder("aiagg.billing.charges.dead.lettered")
                .description("charges of calls the ledger refused, kept as dead letters")
                .register(registry);
        Gauge.builder("aiagg.billing.charge.dead.letters", waiting, AtomicLong::get)
                .description("refused charges waiting for an operator")
                .register(registry);
    }

    @Override
    public void keep(RefusedCharge refused) {
        CallCharge charge = refused.charge();
        jdbc.update("""
                INSERT INTO charge_dead_letter (request_id, account_id, company_id, hold_id, cost_micros, charge,
                                                code, reason, refused_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                ON CONFLICT (request_id) DO UPDATE SET code = excluded.code, reason = excluded.reason,
                    refused_at = excluded.refused_at, attempts = charge_dead_letter.attempts + 1
                """, charge.requestId(), refused.accountId(), refused.companyId(), refused.holdId(),
                charge.costMicros(), write(charge), refused.code(), refused.reason(),
                Timestamp.from(refused.refusedAt()));
        kept.increment();
        log.error("charge of request {} ({} micro-roubles, hold {}, account {}) refused by the ledger and kept as a "
                        + "dead letter: {} {}", charge.requestId(), charge.costMicros(), refused.holdId(),
                refused.accountId(), refused.code(), refused.reason());
        count();
    }

    List<Letter> list(int offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM charge_dead_letter ORDER BY refused_at, request_id "
                + "OFFSET ? LIMIT ?", this::letter, offset, limit);
    }

    Optional<Letter> find(String requestId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM charge_dead_letter WHERE request_id = ?", this::letter,
                requestId).stream().findFirst();
    }

    /** @return whether there was such a letter */
    boolean remove(String requestId) {
        boolean removed = jdbc.update("DELETE FROM charge_dead_letter WHERE request_id = ?", requestId) > 0;
        count();
        return removed;
    }

    /** Every minute, so that letters kept by other nodes show too. */
    @Scheduled(fixedDelay = 60, timeUnit = TimeUnit.SECONDS)
    void count() {
        try {
            waiting.set(jdbc.queryForObject("SELECT count(*) FROM charge_dead_letter", Long.class));
        } catch (DataAccessException unavailable) {
            log.debug("dead letters not counted: {}", unavailable.toString());
        }
    }

    private Letter letter(ResultSet row, int index) throws SQLException {
        Instant refusedAt = row.getTimestamp("refused_at").toInstant();
        RefusedCharge refused = new RefusedCharge(row.getString("company_id"), row.getString("hold_id"),
                read(row.getString("charge")), row.getString("code"), row.getString("reason"), refusedAt);
        return new Letter(refused, row.getInt("attempts"));
    }

    private String write(CallCharge charge) {
        try {
            return json.writeValueAsString(charge);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a charge that cannot be written as JSON: " + charge.requestId(), e);
        }
    }

    private CallCharge read(String stored) {
        try {
            return json.readValue(stored, CallCharge.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dead letter that cannot be read", e);
        }
    }
}
