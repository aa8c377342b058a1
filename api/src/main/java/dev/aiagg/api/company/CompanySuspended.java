package dev.aiagg.api.company;

public record CompanySuspended(String companyId, String reason, String operator) {
}
