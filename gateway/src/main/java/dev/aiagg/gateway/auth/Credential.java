package dev.aiagg.gateway.auth;

/** A member's (or operator's) sign-in credential. {@code companyId} is null for platform operators. */
record Credential(String memberId, String companyId, String email, String passwordHash, String role) {
}
