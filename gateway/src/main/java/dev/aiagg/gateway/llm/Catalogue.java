package dev.aiagg.gateway.llm;

import dev.aiagg.api.pricing.FindModel;
import dev.aiagg.api.pricing.FindModels;
import dev.aiagg.api.pricing.ModelList;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.proxy.Deployment;
import dev.aiagg.proxy.Route;
import java.util.List;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/** The models on offer, from the catalogue read model, and how to reach them. */
@Component
class Catalogue {

    private final QueryGateway queries;
    private final ShortLivedCache<String, Optional<ModelView>> models;

    Catalogue(QueryGateway queries, LlmProperties properties) {
        this.queries = queries;
        this.models = new ShortLivedCache<>(properties.readModelCacheLifetime());
    }

    ModelView require(String modelId) {
        Optional<ModelView> model = models.get(modelId, id -> queries.query(new FindModel(id),
                ResponseTypes.optionalInstanceOf(ModelView.class)).join());
        return model.orElseThrow(() -> new LlmException(404, "invalid_request_error", "model_not_found",
                "The model `" + modelId + "` does not exist or you do not have access to it."));
    }

    List<ModelView> all() {
        return queries.query(new FindModels(), ModelList.class).join().models();
    }

    static Route route(ModelView model) {
        return new Route(model.modelId(), model.deployments().stream()
                .map(d -> new Deployment(d.provider(), d.upstreamModel(), d.priority(), d.weight()))
                .toList());
    }
}
