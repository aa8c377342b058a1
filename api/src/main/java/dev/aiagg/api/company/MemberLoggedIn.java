package dev.aiagg.api.company;

public record MemberLoggedIn(String companyId, String memberId, String ip) {
}
