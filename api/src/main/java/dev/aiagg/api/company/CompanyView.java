package dev.aiagg.api.company;

import java.time.Instant;
import java.util.List;

public record CompanyView(String companyId, String name, String email, String referralCode, String referredBy,
                          CompanyStatus status, Instant registeredAt, List<MemberView> members) {
}
