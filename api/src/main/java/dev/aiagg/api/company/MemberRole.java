package dev.aiagg.api.company;

public enum MemberRole {
    OWNER, ADMIN, DEVELOPER, BILLING, VIEWER
}
