package dev.aiagg.gateway.pricing;

import dev.aiagg.api.Money;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.pricing.DefineModel;
import dev.aiagg.api.pricing.FindModel;
import dev.aiagg.api.pricing.FindModels;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelList;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.api.pricing.RemoveModel;
import dev.aiagg.gateway.account.ProjectionSync;
import dev.aiagg.gateway.security.Caller;
import dev.aiagg.gateway.web.AllowedText;
import dev.aiagg.gateway.web.DecimalAmount;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static dev.aiagg.api.Text.Kind.MODEL_ID;
import static dev.aiagg.api.Text.Kind.UPSTREAM_MODEL;
import static dev.aiagg.gateway.web.DecimalAmount.Sign.NON_NEGATIVE;

/**
 * The model catalogue, kept by platform operators: where each model is served and what it costs. Every change
 * waits for the catalogue read model, so the next LLM call is routed and priced by it.
 */
@RestController
@RequestMapping("/api/admin/models")
@PreAuthorize("hasRole('PLATFORM_ADMIN')")
class ModelController {

    static final String PROJECTION = "catalogue";

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ProjectionSync projections;

    ModelController(CommandGateway commands, QueryGateway queries, ProjectionSync projections) {
        this.commands = commands;
        this.queries = queries;
        this.projections = projections;
    }

    /** 201 when the model was not in the catalogue, 200 when its definition was replaced (or was the same). */
    @PutMapping("/{modelId}")
    public ResponseEntity<ModelResponse> define(@AuthenticationPrincipal Jwt jwt,
                                                @PathVariable @AllowedText(MODEL_ID) String modelId,
                                                @Valid @RequestBody ModelRequest request) {
        boolean created = find(modelId).isEmpty();
        commands.sendAndWait(new DefineModel(modelId,
                request.deployments().stream().map(DeploymentRequest::toDeployment).toList(),
                new ModelPrices(decimal(request.prices().input()), decimal(request.prices().cachedInput()),
                        decimal(request.prices().output()),
                        request.prices().cacheWrite() == null ? null : decimal(request.prices().cacheWrite())),
                request.currency(), decimal(request.markup()), request.defaultCompletionCap(),
                Caller.from(jwt).memberId()));
        projections.awaitProjections(PROJECTION);
        ModelView view = find(modelId).orElseThrow(() -> new NotFoundException("no model " + modelId));
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(ModelResponse.of(view));
    }

    @GetMapping
    public ModelsResponse list() {
        ModelList models = queries.query(new FindModels(), ResponseTypes.instanceOf(ModelList.class)).join();
        return new ModelsResponse(models.models().stream().map(ModelResponse::of).toList());
    }

    @DeleteMapping("/{modelId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void remove(@AuthenticationPrincipal Jwt jwt, @PathVariable @AllowedText(MODEL_ID) String modelId) {
        commands.sendAndWait(new RemoveModel(modelId, Caller.from(jwt).memberId()));
        projections.awaitProjections(PROJECTION);
    }

    private static BigDecimal decimal(String validated) {
        return Money.parseDecimal(validated, false);
    }

    private Optional<ModelView> find(String modelId) {
        return queries.query(new FindModel(modelId), ResponseTypes.optionalInstanceOf(ModelView.class)).join();
    }

    record ModelRequest(@NotEmpty @Size(max = 32) List<@NotNull @Valid DeploymentRequest> deployments,
                        @NotNull @Valid PricesRequest prices,
                        @NotNull @Pattern(regexp = "RUB|USD", message = "must be RUB or USD") String currency,
                        @NotNull @DecimalAmount(sign = NON_NEGATIVE, roubles = false) String markup,
                        @Positive Integer defaultCompletionCap) {
    }

    record DeploymentRequest(@NotNull @Pattern(regexp = "openai|anthropic|openrouter|demo",
                                     message = "must be one of openai, anthropic, openrouter, demo") String provider,
                             @NotNull @AllowedText(UPSTREAM_MODEL) String upstreamModel,
                             @NotNull @Min(0) Integer priority,
                             @NotNull @Min(1) Integer weight) {

        ModelDeployment toDeployment() {
            return new ModelDeployment(provider, upstreamModel, priority, weight);
        }
    }

    /** {@code cacheWrite} is optional: without it, input written to the provider's cache costs 1.25 × input. */
    record PricesRequest(@NotNull @DecimalAmount(sign = NON_NEGATIVE, roubles = false) String input,
                         @NotNull @DecimalAmount(sign = NON_NEGATIVE, roubles = false) String cachedInput,
                         @NotNull @DecimalAmount(sign = NON_NEGATIVE, roubles = false) String output,
                         @DecimalAmount(sign = NON_NEGATIVE, roubles = false) String cacheWrite) {
    }

    record ModelsResponse(List<ModelResponse> models) {
    }

    /** Prices and markup as decimal strings, like every amount of the API. */
    record ModelResponse(String modelId, List<ModelDeployment> deployments, PricesResponse prices, String currency,
                         String markup, Integer defaultCompletionCap, long priceVersion, Instant updatedAt) {

        static ModelResponse of(ModelView view) {
            return new ModelResponse(view.modelId(), view.deployments(),
                    new PricesResponse(plain(view.prices().input()), plain(view.prices().cachedInput()),
                            plain(view.prices().output()), plain(view.prices().cacheWritePrice())),
                    view.currency(), plain(view.markupPercent()), view.defaultCompletionCap(), view.priceVersion(),
                    view.updatedAt());
        }

        private static String plain(BigDecimal value) {
            return value.toPlainString();
        }
    }

    /** {@code cacheWrite} is the price cache writes are charged at, the default one included. */
    record PricesResponse(String input, String cachedInput, String output, String cacheWrite) {
    }
}
