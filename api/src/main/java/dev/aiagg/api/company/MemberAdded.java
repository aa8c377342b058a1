package dev.aiagg.api.company;

public record MemberAdded(String companyId, String memberId, String email, MemberRole role, String addedBy) {
}
