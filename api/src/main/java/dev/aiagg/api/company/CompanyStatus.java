package dev.aiagg.api.company;

public enum CompanyStatus {
    ACTIVE, SUSPENDED
}
