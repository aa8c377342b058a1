package dev.aiagg.api.company;

/** Every company, newest first, for operators. Answered with {@link CompanyList}. */
public record FindCompanies(int offset, int limit) {
}
