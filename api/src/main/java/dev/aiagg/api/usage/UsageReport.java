package dev.aiagg.api.usage;

import java.util.List;

public record UsageReport(List<UsageRow> rows) {
}
