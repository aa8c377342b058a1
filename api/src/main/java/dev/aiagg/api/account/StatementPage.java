package dev.aiagg.api.account;

import java.util.List;

/** {@code nextCursor} is null on the last page. */
public record StatementPage(List<StatementEntry> entries, Long nextCursor) {
}
