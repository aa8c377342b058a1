package dev.aiagg.api.company;

public record CompanyRegistered(String companyId, String name, String email, String ownerMemberId,
                                String referralCode, String referredBy) {
}
