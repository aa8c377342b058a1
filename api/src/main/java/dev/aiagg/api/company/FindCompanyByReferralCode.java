package dev.aiagg.api.company;

/** Answered with {@code Optional<CompanyView>}. */
public record FindCompanyByReferralCode(String referralCode) {
}
