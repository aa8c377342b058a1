package dev.aiagg.api.apikey;

import java.util.List;

public record ApiKeyList(List<ApiKeyView> keys) {
}
