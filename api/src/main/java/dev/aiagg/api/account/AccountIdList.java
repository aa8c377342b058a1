package dev.aiagg.api.account;

import java.util.List;

public record AccountIdList(List<String> accountIds) {
}
