package dev.aiagg.proxy;

/**
 * One place a public model can be served from.
 *
 * @param provider      {@code openai}, {@code anthropic}, {@code openrouter} or {@code demo}
 * @param upstreamModel the model name the provider knows
 * @param priority      lower is tried first
 * @param weight        share of traffic among healthy deployments of the same priority
 */
public record Deployment(String provider, String upstreamModel, int priority, int weight) {

    /** A stable name for logs, metrics, circuit breakers and charge records: {@code provider/upstreamModel}. */
    public String id() {
        return provider + "/" + upstreamModel;
    }
}
