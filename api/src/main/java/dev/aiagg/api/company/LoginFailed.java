package dev.aiagg.api.company;

/**
 * A sign-in failed. {@code companyId} and {@code memberId} are null when the e-mail belongs to nobody; then the
 * event is not part of any aggregate. The e-mail is kept as typed, for the audit of guessing attempts.
 */
public record LoginFailed(String companyId, String memberId, String email, String ip) {
}
