package dev.aiagg.query.company;

import dev.aiagg.api.company.CompanyList;
import dev.aiagg.api.company.CompanyReactivated;
import dev.aiagg.api.company.CompanyRegistered;
import dev.aiagg.api.company.CompanyStatus;
import dev.aiagg.api.company.CompanySuspended;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompanies;
import dev.aiagg.api.company.FindCompany;
import dev.aiagg.api.company.FindCompanyByReferralCode;
import dev.aiagg.api.company.MemberAdded;
import dev.aiagg.api.company.MemberRole;
import dev.aiagg.api.company.MemberView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Companies and their members. Registration also records the owner as the first member. Status changes apply only
 * above the last applied sequence number, and inserts ignore duplicates, so a redelivered event changes nothing.
 */
@Component
@ProcessingGroup("companies")
class CompanyProjection {

    static final int MAX_PAGE = 500;

    private static final String COMPANY_COLUMNS = """
            select company_id, name, email, referral_code, referred_by, status, registered_at from company
            """;

    private final NamedParameterJdbcTemplate jdbc;

    CompanyProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CompanyRegistered event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                        insert into company (company_id, name, email, referral_code, referred_by, status,
                                             registered_at, last_sequence)
                        values (:companyId, :name, :email, :referralCode, :referredBy, :status, :at, :sequence)
                        on conflict (company_id) do nothing
                        """,
                new MapSqlParameterSource()
                        .addValue("companyId", event.companyId())
                        .addValue("name", event.name())
                        .addValue("email", event.email())
                        .addValue("referralCode", event.referralCode())
                        .addValue("referredBy", event.referredBy())
                        .addValue("status", CompanyStatus.ACTIVE.name())
                        .addValue("at", java.sql.Timestamp.from(at))
                        .addValue("sequence", sequence));
        addMember(event.companyId(), event.ownerMemberId(), event.email(), MemberRole.OWNER, at);
    }

    @EventHandler
    void on(MemberAdded event, @Timestamp Instant at) {
        addMember(event.companyId(), event.memberId(), event.email(), event.role(), at);
    }

    @EventHandler
    void on(CompanySuspended event, @SequenceNumber long sequence) {
        setStatus(event.companyId(), CompanyStatus.SUSPENDED, sequence);
    }

    @EventHandler
    void on(CompanyReactivated event, @SequenceNumber long sequence) {
        setStatus(event.companyId(), CompanyStatus.ACTIVE, sequence);
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().update("delete from member");
        jdbc.getJdbcOperations().update("delete from company");
    }

    @QueryHandler
    Optional<CompanyView> handle(FindCompany query) {
        return findOne(COMPANY_COLUMNS + "where company_id = :value", query.companyId());
    }

    @QueryHandler
    Optional<CompanyView> handle(FindCompanyByReferralCode query) {
        return findOne(COMPANY_COLUMNS + "where referral_code = :value", query.referralCode());
    }

    @QueryHandler
    CompanyList handle(FindCompanies query) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("offset", Math.max(0, query.offset()))
                .addValue("limit", Math.max(1, Math.min(MAX_PAGE, query.limit())));
        List<CompanyView> companies = withMembers(jdbc.query(COMPANY_COLUMNS + """
                order by registered_at desc, company_id desc offset :offset limit :limit
                """, params, (rs, row) -> company(rs)));
        Long total = jdbc.getJdbcOperations().queryForObject("select count(*) from company", Long.class);
        return new CompanyList(companies, total == null ? 0 : total);
    }

    private Optional<CompanyView> findOne(String sql, String value) {
        return withMembers(jdbc.query(sql, new MapSqlParameterSource("value", value), (rs, row) -> company(rs)))
                .stream().findFirst();
    }

    private List<CompanyView> withMembers(List<CompanyView> companies) {
        if (companies.isEmpty()) {
            return List.of();
        }
        List<String> ids = companies.stream().map(CompanyView::companyId).toList();
        Map<String, List<MemberView>> members = jdbc.query("""
                        select company_id, member_id, email, role, added_at from member
                        where company_id in (:ids) order by added_at, member_id
                        """,
                new MapSqlParameterSource("ids", ids),
                (rs, row) -> Map.entry(rs.getString("company_id"), new MemberView(rs.getString("member_id"),
                        rs.getString("email"), MemberRole.valueOf(rs.getString("role")),
                        rs.getTimestamp("added_at").toInstant())))
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return companies.stream()
                .map(c -> new CompanyView(c.companyId(), c.name(), c.email(), c.referralCode(), c.referredBy(),
                        c.status(), c.registeredAt(), List.copyOf(members.getOrDefault(c.companyId(), List.of()))))
                .toList();
    }

    private void addMember(String companyId, String memberId, String email, MemberRole role, Instant at) {
        jdbc.update("""
                        insert into member (member_id, company_id, email, role, added_at)
                        values (:memberId, :companyId, :email, :role, :at)
                        on conflict (member_id) do nothing
                        """,
                new MapSqlParameterSource()
                        .addValue("memberId", memberId)
                        .addValue("companyId", companyId)
                        .addValue("email", email)
                        .addValue("role", role.name())
                        .addValue("at", java.sql.Timestamp.from(at)));
    }

    private void setStatus(String companyId, CompanyStatus status, long sequence) {
        jdbc.update("""
                        update company set status = :status, last_sequence = :sequence
                        where company_id = :companyId and last_sequence < :sequence
                        """,
                new MapSqlParameterSource()
                        .addValue("companyId", companyId)
                        .addValue("status", status.name())
                        .addValue("sequence", sequence));
    }

    private static CompanyView company(ResultSet rs) throws SQLException {
        return new CompanyView(rs.getString("company_id"), rs.getString("name"), rs.getString("email"),
                rs.getString("referral_code"), rs.getString("referred_by"),
                CompanyStatus.valueOf(rs.getString("status")), rs.getTimestamp("registered_at").toInstant(),
                List.of());
    }
}
