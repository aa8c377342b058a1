package dev.aiagg.api.company;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Register a company and its owner. The owner's password never travels in a message: the caller keeps the
 * credentials and sends only who the owner is. {@code referredBy} is the inviting company's id, or null.
 */
public record RegisterCompany(@TargetAggregateIdentifier String companyId, String name, String email,
                              String ownerMemberId, String referralCode, String referredBy) {
}
