package dev.aiagg.api.pricing;

public record ModelRemoved(String modelId, long priceVersion, String removedBy) {
}
