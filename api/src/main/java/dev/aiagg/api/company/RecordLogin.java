package dev.aiagg.api.company;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record a sign-in attempt of a known member, successful or not. */
public record RecordLogin(@TargetAggregateIdentifier String companyId, String memberId, String ip,
                          boolean succeeded) {
}
