package dev.aiagg.proxy;

import java.util.List;

/** The deployments a public model id may be served from, as the catalogue lists them. */
public record Route(String modelId, List<Deployment> deployments) {

    public Route {
        deployments = List.copyOf(deployments);
    }
}
