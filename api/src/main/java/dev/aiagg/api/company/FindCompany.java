package dev.aiagg.api.company;

/** Answered with {@code Optional<CompanyView>}. */
public record FindCompany(String companyId) {
}
