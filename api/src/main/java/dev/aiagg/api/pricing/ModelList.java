package dev.aiagg.api.pricing;

import java.util.List;

public record ModelList(List<ModelView> models) {
}
