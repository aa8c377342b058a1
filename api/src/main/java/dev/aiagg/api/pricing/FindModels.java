package dev.aiagg.api.pricing;

/** Every model in the catalogue, by model id. Answered with {@link ModelList}. */
public record FindModels() {
}
