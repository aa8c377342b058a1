package dev.aiagg.gateway.company;

import dev.aiagg.api.company.AddMember;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompanyByReferralCode;
import dev.aiagg.api.company.MemberRole;
import dev.aiagg.api.company.RegisterCompany;
import dev.aiagg.gateway.auth.Credentials;
import dev.aiagg.gateway.web.ProblemException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;
import java.util.UUID;

/**
 * Registration and new members. The credential row and the company's events are written in one transaction
 * (Axon joins the surrounding Spring transaction), so a refused command leaves no orphan credential and a taken
 * e-mail leaves no event.
 */
@Service
class CompanyRegistration {

    private final Credentials credentials;
    private final ReferralCodes referralCodes;
    private final CommandGateway commandGateway;
    private final QueryGateway queryGateway;

    CompanyRegistration(Credentials credentials, ReferralCodes referralCodes, CommandGateway commandGateway,
                        QueryGateway queryGateway) {
        this.credentials = credentials;
        this.referralCodes = referralCodes;
        this.commandGateway = commandGateway;
        this.queryGateway = queryGateway;
    }

    @Transactional
    Registered register(String name, String email, String password, String inviterCode) {
        String referredBy = inviterCode == null ? null : inviter(inviterCode);
        String companyId = UUID.randomUUID().toString();
        String ownerId = UUID.randomUUID().toString();
        String normalizedEmail = Credentials.normalizeEmail(email);
        credentials.add(ownerId, companyId, normalizedEmail, password, MemberRole.OWNER.name());
        String referralCode = referralCodes.reserveFor(companyId);
        commandGateway.sendAndWait(new RegisterCompany(companyId, name, normalizedEmail, ownerId,
                referralCode, referredBy));
        return new Registered(companyId, referralCode);
    }

    @Transactional
    String addMember(String companyId, String email, String password, MemberRole role, String addedBy) {
        String memberId = UUID.randomUUID().toString();
        String normalizedEmail = Credentials.normalizeEmail(email);
        credentials.add(memberId, companyId, normalizedEmail, password, role.name());
        commandGateway.sendAndWait(new AddMember(companyId, memberId, normalizedEmail, role, addedBy));
        return memberId;
    }

    private String inviter(String code) {
        Optional<CompanyView> inviter = queryGateway.query(new FindCompanyByReferralCode(ReferralCodes.normalize(code)),
                ResponseTypes.optionalInstanceOf(CompanyView.class)).join();
        return inviter.map(CompanyView::companyId)
                .orElseThrow(() -> ProblemException.invalidField("referralCode", "is not a known referral code"));
    }

    record Registered(String companyId, String referralCode) {
    }
}
