package dev.aiagg.api.pricing;

/** One model of the catalogue. Answered with an {@code Optional<ModelView>}, empty when unknown or removed. */
public record FindModel(String modelId) {
}
