package dev.aiagg.api.company;

import java.time.Instant;

public record MemberView(String memberId, String email, MemberRole role, Instant addedAt) {
}
