package dev.aiagg.query.apikey;

import dev.aiagg.api.apikey.ApiKeyGrant;
import dev.aiagg.api.apikey.ApiKeyIssued;
import dev.aiagg.api.apikey.ApiKeyLimits;
import dev.aiagg.api.apikey.ApiKeyList;
import dev.aiagg.api.apikey.ApiKeyRevoked;
import dev.aiagg.api.apikey.ApiKeyRotated;
import dev.aiagg.api.apikey.ApiKeyStatus;
import dev.aiagg.api.apikey.ApiKeyView;
import dev.aiagg.api.apikey.FindApiKeyBySecretHash;
import dev.aiagg.api.apikey.FindApiKeys;
import dev.aiagg.api.company.CompanyReactivated;
import dev.aiagg.api.company.CompanyRegistered;
import dev.aiagg.api.company.CompanySuspended;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API keys for listings and for authenticating a presented secret. Company suspension is followed here too, so a
 * grant is complete from this group's own tables. Updates apply only above the last applied sequence number, so
 * a redelivered event changes nothing.
 */
@Component
@ProcessingGroup("api-keys")
class ApiKeyProjection {

    private static final String KEY_COLUMNS = """
            k.key_id, k.company_id, k.name, k.secret_prefix, k.models, k.rpm, k.tpm, k.monthly_budget_micros,
            k.response_cache, k.expires_at, k.status, k.issued_at, k.rotated_at, k.revoked_at
            """;

    private static final String GRANT = "select " + KEY_COLUMNS + """
            , coalesce(c.suspended, false) as company_suspended, %d as preference
            from api_key k left join api_key_company c on c.company_id = k.company_id
            """;

    // Two indexed lookups: the current secret, then a rotated-out one still inside its grace period.
    private static final String FIND_GRANT = GRANT.formatted(0) + """
            where k.secret_hash = :hash
            union all
            """ + GRANT.formatted(1) + """
            where k.previous_secret_hash = :hash and k.previous_valid_until > :at
            order by preference limit 1
            """;

    private final NamedParameterJdbcTemplate jdbc;

    ApiKeyProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ApiKeyIssued event, @SequenceNumber long sequence, @Timestamp Instant at) {
        ApiKeyLimits limits = event.limits() == null ? new ApiKeyLimits(List.of(), null, null, null, null, false)
                : event.limits();
        jdbc.update("""
                        insert into api_key (key_id, company_id, name, secret_prefix, secret_hash, models, rpm, tpm,
                                             monthly_budget_micros, response_cache, expires_at, status, issued_at,
                                             last_sequence)
                        values (:keyId, :companyId, :name, :prefix, :hash, :models, :rpm, :tpm, :budget,
                                :responseCache, :expiresAt, :status, :at, :sequence)
                        on conflict (key_id) do nothing
                        """,
                new MapSqlParameterSource()
                        .addValue("keyId", event.keyId())
                        .addValue("companyId", event.companyId())
                        .addValue("name", event.name())
                        .addValue("prefix", event.secretPrefix())
                        .addValue("hash", event.secretHash())
                        .addValue("models", new SqlArrayValue("text", limits.models().toArray()))
                        .addValue("rpm", limits.rpm())
                        .addValue("tpm", limits.tpm())
                        .addValue("budget", limits.monthlyBudgetMicros())
                        .addValue("responseCache", limits.responseCache())
                        .addValue("expiresAt", timestamp(limits.expiresAt()))
                        .addValue("status", ApiKeyStatus.ACTIVE.name())
                        .addValue("at", timestamp(at))
                        .addValue("sequence", sequence));
    }

    @EventHandler
    void on(ApiKeyRotated event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                        update api_key
                        set secret_hash = :hash, secret_prefix = :prefix, previous_secret_hash = :previousHash,
                            previous_valid_until = :previousValidUntil, rotated_at = :at, last_sequence = :sequence
                        where key_id = :keyId and last_sequence < :sequence
                        """,
                new MapSqlParameterSource()
                        .addValue("keyId", event.keyId())
                        .addValue("hash", event.newSecretHash())
                        .addValue("prefix", event.newSecretPrefix())
                        .addValue("previousHash", event.previousSecretHash())
                        .addValue("previousValidUntil", timestamp(event.previousValidUntil()))
                        .addValue("at", timestamp(at))
                        .addValue("sequence", sequence));
    }

    @EventHandler
    void on(ApiKeyRevoked event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                        update api_key set status = :status, revoked_at = :at, last_sequence = :sequence
                        where key_id = :keyId and last_sequence < :sequence
                        """,
                new MapSqlParameterSource()
                        .addValue("keyId", event.keyId())
                        .addValue("status", ApiKeyStatus.REVOKED.name())
                        .addValue("at", timestamp(at))
                        .addValue("sequence", sequence));
    }

    @EventHandler
    void on(CompanyRegistered event, @SequenceNumber long sequence) {
        setSuspended(event.companyId(), false, sequence);
    }

    @EventHandler
    void on(CompanySuspended event, @SequenceNumber long sequence) {
        setSuspended(event.companyId(), true, sequence);
    }

    @EventHandler
    void on(CompanyReactivated event, @SequenceNumber long sequence) {
        setSuspended(event.companyId(), false, sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().update("delete from api_key");
        jdbc.getJdbcOperations().update("delete from api_key_company");
    }

    @QueryHandler
    ApiKeyList handle(FindApiKeys query) {
        return new ApiKeyList(jdbc.query("select " + KEY_COLUMNS + """
                        from api_key k where k.company_id = :companyId
                        order by k.issued_at desc, k.key_id desc
                        """,
                new MapSqlParameterSource("companyId", query.companyId()),
                (rs, row) -> view(rs)));
    }

    @QueryHandler
    Optional<ApiKeyGrant> handle(FindApiKeyBySecretHash query) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("hash", query.secretHash())
                .addValue("at", timestamp(query.at()));
        List<ApiKeyGrant> grants = jdbc.query(FIND_GRANT, params, (rs, row) -> {
            ApiKeyView view = view(rs);
            return new ApiKeyGrant(view.keyId(), view.companyId(), view.name(), view.status(),
                    rs.getBoolean("company_suspended"), view.limits());
        });
        return grants.stream().findFirst();
    }

    private void setSuspended(String companyId, boolean suspended, long sequence) {
        jdbc.update("""
                        insert into api_key_company as c (company_id, suspended, last_sequence)
                        values (:companyId, :suspended, :sequence)
                        on conflict (company_id) do update
                            set suspended = excluded.suspended, last_sequence = excluded.last_sequence
                            where c.last_sequence < excluded.last_sequence
                        """,
                new MapSqlParameterSource()
                        .addValue("companyId", companyId)
                        .addValue("suspended", suspended)
                        .addValue("sequence", sequence));
    }

    private static ApiKeyView view(ResultSet rs) throws SQLException {
        ApiKeyLimits limits = new ApiKeyLimits(
                List.of((String[]) rs.getArray("models").getArray()),
                rs.getObject("rpm", Integer.class),
                rs.getObject("tpm", Integer.class),
                rs.getObject("monthly_budget_micros", Long.class),
                instant(rs, "expires_at"),
                rs.getBoolean("response_cache"));
        return new ApiKeyView(rs.getString("key_id"), rs.getString("company_id"), rs.getString("name"),
                rs.getString("secret_prefix"), limits, ApiKeyStatus.valueOf(rs.getString("status")),
                instant(rs, "issued_at"), instant(rs, "rotated_at"), instant(rs, "revoked_at"));
    }

    private static java.sql.Timestamp timestamp(Instant instant) {
        return instant == null ? null : java.sql.Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
