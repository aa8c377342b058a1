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
import dev.aiagg.query.QueryDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CompanyProjectionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final CompanyProjection projection = new CompanyProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void aRegisteredCompanyHasItsOwnerAsFirstMember() {
        register("cmp_a", "REF-A", null, T0);

        assertThat(find("cmp_a")).contains(new CompanyView("cmp_a", "Company cmp_a", "owner@cmp_a.test", "REF-A",
                null, CompanyStatus.ACTIVE, T0,
                List.of(new MemberView("own_cmp_a", "owner@cmp_a.test", MemberRole.OWNER, T0))));
        assertThat(find("cmp_missing")).isEmpty();
    }

    @Test
    void membersAreListedInTheOrderTheyJoined() {
        register("cmp_a", "REF-A", null, T0);
        projection.on(new MemberAdded("cmp_a", "mem_dev", "dev@a.test", MemberRole.DEVELOPER, "own_cmp_a"),
                T0.plusSeconds(20));
        projection.on(new MemberAdded("cmp_a", "mem_bill", "bill@a.test", MemberRole.BILLING, "own_cmp_a"),
                T0.plusSeconds(10));

        assertThat(find("cmp_a").orElseThrow().members()).extracting(MemberView::memberId, MemberView::role)
                .containsExactly(
                        tuple("own_cmp_a", MemberRole.OWNER),
                        tuple("mem_bill", MemberRole.BILLING),
                        tuple("mem_dev", MemberRole.DEVELOPER));
    }

    @Test
    void aCompanyIsFoundByItsReferralCodeAndRemembersWhoReferredIt() {
        register("cmp_a", "REF-A", null, T0);
        register("cmp_b", "REF-B", "cmp_a", T0.plusSeconds(1));

        assertThat(projection.handle(new FindCompanyByReferralCode("REF-A"))).map(CompanyView::companyId)
                .contains("cmp_a");
        assertThat(projection.handle(new FindCompanyByReferralCode("REF-B"))).map(CompanyView::referredBy)
                .contains("cmp_a");
        assertThat(projection.handle(new FindCompanyByReferralCode("REF-NONE"))).isEmpty();
    }

    @Test
    void suspensionAndReactivationChangeTheStatus() {
        register("cmp_a", "REF-A", null, T0);

        projection.on(new CompanySuspended("cmp_a", "unpaid", "op"), 1);
        assertThat(find("cmp_a")).map(CompanyView::status).contains(CompanyStatus.SUSPENDED);

        projection.on(new CompanyReactivated("cmp_a", "op"), 2);
        assertThat(find("cmp_a")).map(CompanyView::status).contains(CompanyStatus.ACTIVE);
    }

    @Test
    void companiesAreListedNewestFirstWithTheTotal() {
        for (int i = 1; i <= 5; i++) {
            register("cmp_" + i, "REF-" + i, null, T0.plusSeconds(i));
        }
        projection.on(new MemberAdded("cmp_4", "mem_4", "dev@4.test", MemberRole.ADMIN, "own_cmp_4"), T0);

        CompanyList first = projection.handle(new FindCompanies(0, 2));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.companies()).extracting(CompanyView::companyId).containsExactly("cmp_5", "cmp_4");
        assertThat(first.companies().get(1).members()).extracting(MemberView::memberId)
                .containsExactlyInAnyOrder("own_cmp_4", "mem_4");
        assertThat(first.companies().get(0).members()).extracting(MemberView::memberId)
                .containsExactly("own_cmp_5");

        assertThat(projection.handle(new FindCompanies(4, 2)).companies()).extracting(CompanyView::companyId)
                .containsExactly("cmp_1");
        assertThat(projection.handle(new FindCompanies(-3, 0)).companies()).extracting(CompanyView::companyId)
                .containsExactly("cmp_5");
        assertThat(projection.handle(new FindCompanies(10, 2))).isEqualTo(new CompanyList(List.of(), 5));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        register("cmp_a", "REF-A", null, T0);
        MemberAdded added = new MemberAdded("cmp_a", "mem_dev", "dev@a.test", MemberRole.DEVELOPER, "own_cmp_a");
        projection.on(added, T0.plusSeconds(1));
        projection.on(new CompanySuspended("cmp_a", "unpaid", "op"), 2);
        projection.on(new CompanyReactivated("cmp_a", "op"), 3);
        List<Map<String, Object>> companies = companyRows();
        List<Map<String, Object>> members = memberRows();

        register("cmp_a", "REF-A", null, T0);
        projection.on(added, T0.plusSeconds(1));
        projection.on(new CompanySuspended("cmp_a", "unpaid", "op"), 2);

        assertThat(companyRows()).isEqualTo(companies);
        assertThat(memberRows()).isEqualTo(members);
        assertThat(find("cmp_a")).map(CompanyView::status).contains(CompanyStatus.ACTIVE);
    }

    @Test
    void resetEmptiesTheTablesAndAReplayRebuildsIdenticalRows() {
        Runnable events = () -> {
            register("cmp_a", "REF-A", null, T0);
            register("cmp_b", "REF-B", "cmp_a", T0.plusSeconds(5));
            projection.on(new MemberAdded("cmp_a", "mem_dev", "dev@a.test", MemberRole.DEVELOPER, "own_cmp_a"),
                    T0.plusSeconds(6));
            projection.on(new CompanySuspended("cmp_b", "fraud", "op"), 1);
        };
        events.run();
        List<Map<String, Object>> companies = companyRows();
        List<Map<String, Object>> members = memberRows();

        projection.reset();
        assertThat(companyRows()).isEmpty();
        assertThat(memberRows()).isEmpty();

        events.run();
        assertThat(companyRows()).isEqualTo(companies).hasSize(2);
        assertThat(memberRows()).isEqualTo(members).hasSize(3);
    }

    private void register(String companyId, String referralCode, String referredBy, Instant at) {
        projection.on(new CompanyRegistered(companyId, "Company " + companyId, "owner@" + companyId + ".test",
                "own_" + companyId, referralCode, referredBy), 0, at);
    }

    private Optional<CompanyView> find(String companyId) {
        return projection.handle(new FindCompany(companyId));
    }

    private static List<Map<String, Object>> companyRows() {
        return QueryDatabase.rows("company", "company_id");
    }

    private static List<Map<String, Object>> memberRows() {
        return QueryDatabase.rows("member", "member_id");
    }
}
