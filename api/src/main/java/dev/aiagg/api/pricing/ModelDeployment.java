package dev.aiagg.api.pricing;

/**
 * Where a model is served: a provider and its own name for the model. Lower {@code priority} is tried first;
 * deployments of equal priority share the traffic by {@code weight}.
 */
public record ModelDeployment(String provider, String upstreamModel, int priority, int weight) {
}
