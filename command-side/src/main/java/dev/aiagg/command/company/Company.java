package dev.aiagg.command.company;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.Text;
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
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static dev.aiagg.api.Text.Kind.DISPLAY_NAME;
import static dev.aiagg.api.Text.Kind.EMAIL;
import static dev.aiagg.api.Text.Kind.FREE_TEXT;
import static dev.aiagg.api.Text.Kind.IDENTIFIER;
import static dev.aiagg.api.Text.Kind.REFERRAL_CODE;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A customer company and its members. Commands for a company that does not exist are refused with
 * {@link NotFoundException} (they are allowed to reach a fresh instance only so that the refusal is a domain one).
 * Every text a command carries is checked against {@link Text} before it can reach an event. A suspended company
 * takes no new members.
 */
@Aggregate
class Company {

    @AggregateIdentifier
    private String companyId;
    private boolean suspended;
    private final Map<String, Member> members = new LinkedHashMap<>();

    protected Company() {
    }

    @CommandHandler
    public Company(RegisterCompany command) {
        Text.require(IDENTIFIER, command.companyId(), "companyId");
        Text.require(DISPLAY_NAME, command.name(), "name");
        Text.require(EMAIL, command.email(), "email");
        Text.require(IDENTIFIER, command.ownerMemberId(), "ownerMemberId");
        Text.require(REFERRAL_CODE, command.referralCode(), "referralCode");
        Text.requireOptional(IDENTIFIER, command.referredBy(), "referredBy");
        apply(new CompanyRegistered(command.companyId(), command.name(), command.email(), command.ownerMemberId(),
                command.referralCode(), command.referredBy()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(AddMember command) {
        requireRegistered(command.companyId());
        Text.require(IDENTIFIER, command.memberId(), "memberId");
        Text.require(EMAIL, command.email(), "email");
        Text.requireOptional(IDENTIFIER, command.addedBy(), "addedBy");
        if (command.role() == null) {
            throw new DomainException("invalid_input", "role is required");
        }
        if (suspended) {
            throw new DomainException("company_suspended", "company " + companyId + " is suspended");
        }
        if (members.containsKey(command.memberId())) {
            throw new DomainException("already_exists", "member " + command.memberId() + " already exists");
        }
        String email = normalized(command.email());
        if (members.values().stream().anyMatch(member -> normalized(member.email()).equals(email))) {
            throw new DomainException("already_exists", "a member with e-mail " + command.email() + " already exists");
        }
        apply(new MemberAdded(companyId, command.memberId(), command.email(), command.role(), command.addedBy()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(SuspendCompany command) {
        requireRegistered(command.companyId());
        Text.require(FREE_TEXT, command.reason(), "reason");
        Text.requireOptional(IDENTIFIER, command.operator(), "operator");
        if (!suspended) {
            apply(new CompanySuspended(companyId, command.reason(), command.operator()));
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ReactivateCompany command) {
        requireRegistered(command.companyId());
        Text.requireOptional(IDENTIFIER, command.operator(), "operator");
        if (suspended) {
            apply(new CompanyReactivated(companyId, command.operator()));
        }
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RecordLogin command) {
        requireRegistered(command.companyId());
        Text.requireOptional(IDENTIFIER, command.ip(), "ip");
        Member member = command.memberId() == null ? null : members.get(command.memberId());
        if (member == null) {
            throw new NotFoundException("no member " + command.memberId() + " in company " + command.companyId());
        }
        if (command.succeeded()) {
            apply(new MemberLoggedIn(companyId, command.memberId(), command.ip()));
        } else {
            apply(new LoginFailed(companyId, command.memberId(), member.email(), command.ip()));
        }
    }

    @EventSourcingHandler
    void on(CompanyRegistered event) {
        companyId = event.companyId();
        members.put(event.ownerMemberId(), new Member(event.email(), MemberRole.OWNER));
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        members.put(event.memberId(), new Member(event.email(), event.role()));
    }

    @EventSourcingHandler
    void on(CompanySuspended event) {
        suspended = true;
    }

    @EventSourcingHandler
    void on(CompanyReactivated event) {
        suspended = false;
    }

    private void requireRegistered(String commandCompanyId) {
        if (companyId == null) {
            throw new NotFoundException("no company " + commandCompanyId);
        }
    }

    private static String normalized(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
