package dev.aiagg.command.company;

import dev.aiagg.api.company.MemberRole;

record Member(String email, MemberRole role) {
}
