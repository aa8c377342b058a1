package dev.aiagg.api.company;

public record CompanyReactivated(String companyId, String operator) {
}
