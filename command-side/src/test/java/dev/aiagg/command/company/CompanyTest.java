package dev.aiagg.command.company;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.company.AddMember;
import dev.aiagg.api.company.CompanyReactivated;
import dev.aiagg.api.company.CompanyRegistered;
import dev.aiagg.api.company.CompanySuspended;
import dev.aiagg.api.company.LoginFailed;
import dev.aiagg.api.company.MemberAdded;
import dev.aiagg.api.company.MemberLoggedIn;
import dev.aiagg.api.company.MemberRole;
import dev.aiagg.api.company.ReactivateCompany;
import dev.aiagg.api.company.RecordLogin;
import dev.aiagg.api.company.RegisterCompany;
import dev.aiagg.api.company.SuspendCompany;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.aiagg.command.Refusals.refusedWith;
import static org.hamcrest.Matchers.startsWith;

class CompanyTest {

    static final String COMPANY = "company-1";

    final AggregateTestFixture<Company> fixture = new AggregateTestFixture<>(Company.class);

    static CompanyRegistered registered() {
        return new CompanyRegistered(COMPANY, "Acme", "Owner@Acme.example", "owner-1", "ACME42", null);
    }

    static MemberAdded developerAdded() {
        return new MemberAdded(COMPANY, "member-2", "dev@acme.example", MemberRole.DEVELOPER, "owner-1");
    }

    @Nested
    class RegisteringACompany {

        @Test
        void registersTheCompanyWithItsOwner() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "Owner@Acme.example", "owner-1", "ACME42", null))
                    .expectEvents(registered());
        }

        @Test
        void keepsWhoReferredIt() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner@acme.example", "owner-1", "ACME42", "company-0"))
                    .expectEvents(new CompanyRegistered(COMPANY, "Acme", "owner@acme.example", "owner-1", "ACME42",
                            "company-0"));
        }

        @Test
        void requiresAName() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, " ", "owner@acme.example", "owner-1", "ACME42", null))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void requiresAnEmail() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", null, "owner-1", "ACME42", null))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void requiresAnOwner() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner@acme.example", "", "ACME42", null))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void takesANameInCyrillic() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "ООО «Ромашка»", "owner@acme.example", "owner-1", "ACME42",
                            null))
                    .expectEvents(new CompanyRegistered(COMPANY, "ООО «Ромашка»", "owner@acme.example", "owner-1",
                            "ACME42", null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"evil\u0000name", "bell\u0007", "del\u007f", "c1\u0085", "rtl\u202eemaN",
                "zero\u200bwidth", "bom\ufeff", "lone\ud800", " Acme", "Acme "})
        void refusesANameWithControlInvisibleOrSurroundingCharacters(String name) {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, name, "owner@acme.example", "owner-1", "ACME42", null))
                    .expectException(refusedWith("invalid_input"))
                    .expectExceptionMessage(startsWith("name "))
                    .expectNoEvents();
        }

        @Test
        void refusesControlCharactersInTheEmailTheIdsAndTheReferralCode() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner\u0000@acme.example", "owner-1", "ACME42", null))
                    .expectException(refusedWith("invalid_input"));
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner@acme.example", "owner\u00001", "ACME42", null))
                    .expectException(refusedWith("invalid_input"));
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner@acme.example", "owner-1", "ACME\u000042", null))
                    .expectException(refusedWith("invalid_input"));
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner@acme.example", "owner-1", "ACME42",
                            "company\u00000"))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void requiresAReferralCode() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCompany(COMPANY, "Acme", "owner@acme.example", "owner-1", null, null))
                    .expectException(refusedWith("invalid_input"));
        }
    }

    @Nested
    class AddingMembers {

        @Test
        void addsAMemberWithARole() {
            fixture.given(registered())
                    .when(new AddMember(COMPANY, "member-2", "dev@acme.example", MemberRole.DEVELOPER, "owner-1"))
                    .expectEvents(developerAdded());
        }

        @Test
        void allowsASecondOwner() {
            fixture.given(registered())
                    .when(new AddMember(COMPANY, "member-2", "cto@acme.example", MemberRole.OWNER, "owner-1"))
                    .expectEvents(new MemberAdded(COMPANY, "member-2", "cto@acme.example", MemberRole.OWNER,
                            "owner-1"));
        }

        @Test
        void refusesAnEmailAlreadyUsedInTheCompanyWhateverItsCase() {
            fixture.given(registered(), developerAdded())
                    .when(new AddMember(COMPANY, "member-3", "DEV@acme.EXAMPLE", MemberRole.VIEWER, "owner-1"))
                    .expectException(refusedWith("already_exists"))
                    .expectNoEvents();
        }

        @Test
        void refusesTheOwnersEmail() {
            fixture.given(registered())
                    .when(new AddMember(COMPANY, "member-2", "owner@acme.example", MemberRole.ADMIN, "owner-1"))
                    .expectException(refusedWith("already_exists"));
        }

        @Test
        void refusesAMemberIdAlreadyInTheCompany() {
            fixture.given(registered(), developerAdded())
                    .when(new AddMember(COMPANY, "member-2", "other@acme.example", MemberRole.VIEWER, "owner-1"))
                    .expectException(refusedWith("already_exists"));
        }

        @Test
        void requiresARole() {
            fixture.given(registered())
                    .when(new AddMember(COMPANY, "member-2", "dev@acme.example", null, "owner-1"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void requiresAnEmail() {
            fixture.given(registered())
                    .when(new AddMember(COMPANY, "member-2", " ", MemberRole.VIEWER, "owner-1"))
                    .expectException(refusedWith("invalid_input"));
        }

        @Test
        void refusesAnEmailWithAControlCharacter() {
            fixture.given(registered())
                    .when(new AddMember(COMPANY, "member-2", "dev\u0000@acme.example", MemberRole.VIEWER, "owner-1"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void aSuspendedCompanyTakesNoNewMembers() {
            fixture.given(registered(), new CompanySuspended(COMPANY, "unpaid invoices", "op-1"))
                    .when(new AddMember(COMPANY, "member-2", "dev@acme.example", MemberRole.DEVELOPER, "owner-1"))
                    .expectException(refusedWith("company_suspended"))
                    .expectNoEvents();
        }

        @Test
        void aReactivatedCompanyTakesMembersAgain() {
            fixture.given(registered(), new CompanySuspended(COMPANY, "unpaid invoices", "op-1"),
                            new CompanyReactivated(COMPANY, "op-1"))
                    .when(new AddMember(COMPANY, "member-2", "dev@acme.example", MemberRole.DEVELOPER, "owner-1"))
                    .expectEvents(developerAdded());
        }

        @Test
        void aCompanyThatDoesNotExistIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new AddMember(COMPANY, "member-2", "dev@acme.example", MemberRole.DEVELOPER, "owner-1"))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class SuspendingAndReactivating {

        @Test
        void suspendsAnActiveCompany() {
            fixture.given(registered())
                    .when(new SuspendCompany(COMPANY, "unpaid invoices", "op-1"))
                    .expectEvents(new CompanySuspended(COMPANY, "unpaid invoices", "op-1"));
        }

        @Test
        void suspendingASuspendedCompanyChangesNothing() {
            fixture.given(registered(), new CompanySuspended(COMPANY, "unpaid invoices", "op-1"))
                    .when(new SuspendCompany(COMPANY, "again", "op-2"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void requiresAReasonWithoutControlCharacters() {
            fixture.given(registered())
                    .when(new SuspendCompany(COMPANY, "unpaid\u0000invoices", "op-1"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
            fixture.given(registered())
                    .when(new SuspendCompany(COMPANY, null, "op-1"))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void reactivatesASuspendedCompany() {
            fixture.given(registered(), new CompanySuspended(COMPANY, "unpaid invoices", "op-1"))
                    .when(new ReactivateCompany(COMPANY, "op-1"))
                    .expectEvents(new CompanyReactivated(COMPANY, "op-1"));
        }

        @Test
        void reactivatingAnActiveCompanyChangesNothing() {
            fixture.given(registered())
                    .when(new ReactivateCompany(COMPANY, "op-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aCompanyThatDoesNotExistIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new SuspendCompany(COMPANY, "unpaid invoices", "op-1"))
                    .expectException(NotFoundException.class);
        }
    }

    @Nested
    class RecordingLogins {

        @Test
        void recordsASuccessfulLogin() {
            fixture.given(registered(), developerAdded())
                    .when(new RecordLogin(COMPANY, "member-2", "203.0.113.7", true))
                    .expectEvents(new MemberLoggedIn(COMPANY, "member-2", "203.0.113.7"));
        }

        @Test
        void recordsAFailedLoginWithTheMembersEmail() {
            fixture.given(registered(), developerAdded())
                    .when(new RecordLogin(COMPANY, "member-2", "203.0.113.7", false))
                    .expectEvents(new LoginFailed(COMPANY, "member-2", "dev@acme.example", "203.0.113.7"));
        }

        @Test
        void recordsTheOwnersLogin() {
            fixture.given(registered())
                    .when(new RecordLogin(COMPANY, "owner-1", "203.0.113.7", true))
                    .expectEvents(new MemberLoggedIn(COMPANY, "owner-1", "203.0.113.7"));
        }

        @Test
        void refusesAnAddressThatIsNoAddress() {
            fixture.given(registered())
                    .when(new RecordLogin(COMPANY, "owner-1", "203.0.113.7\u0000", false))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void anUnknownMemberIsNotFound() {
            fixture.given(registered())
                    .when(new RecordLogin(COMPANY, "member-9", "203.0.113.7", false))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }
    }
}
