package dev.aiagg.api.company;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddMember(@TargetAggregateIdentifier String companyId, String memberId, String email, MemberRole role,
                        String addedBy) {
}
