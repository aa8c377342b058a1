package dev.aiagg.command.pricing;

import dev.aiagg.api.DomainException;
import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.Text;
import dev.aiagg.api.pricing.DefineModel;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelPriced;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelRemoved;
import dev.aiagg.api.pricing.ModelRoutingChanged;
import dev.aiagg.api.pricing.RemoveModel;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import static dev.aiagg.api.Text.Kind.IDENTIFIER;
import static dev.aiagg.api.Text.Kind.MODEL_ID;
import static dev.aiagg.api.Text.Kind.UPSTREAM_MODEL;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One model of the catalogue: where it is served and what it costs. Prices are versioned: every change of prices,
 * currency or markup is a new price version, so a charge can always name the prices it was made at. A removed
 * model keeps its version count, and defining it again continues it.
 */
@Aggregate
class CatalogueModel {

    static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "openrouter", "demo");
    static final Set<String> CURRENCIES = Set.of("RUB", "USD");
    static final int MAX_PRICE_DECIMALS = 6;

    @AggregateIdentifier
    private String modelId;
    private boolean defined;
    private List<ModelDeployment> deployments;
    private ModelPrices prices;
    private String currency;
    private BigDecimal markupPercent;
    private Integer defaultCompletionCap;
    private long priceVersion;

    protected CatalogueModel() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(DefineModel command) {
        requireValid(command);
        if (!defined || pricingChanges(command)) {
            apply(new ModelPriced(command.modelId(), List.copyOf(command.deployments()), command.prices(),
                    command.currency(), command.markupPercent(), command.defaultCompletionCap(), priceVersion + 1,
                    command.definedBy()));
        } else if (!deployments.equals(command.deployments())
                || !Objects.equals(defaultCompletionCap, command.defaultCompletionCap())) {
            apply(new ModelRoutingChanged(modelId, List.copyOf(command.deployments()),
                    command.defaultCompletionCap(), priceVersion, command.definedBy()));
        }
    }

    /** Created if missing only to refuse it as a DomainException, which fails alone in a group commit. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RemoveModel command) {
        Text.requireOptional(IDENTIFIER, command.removedBy(), "removedBy");
        if (!defined) {
            throw new NotFoundException("no model " + command.modelId());
        }
        apply(new ModelRemoved(modelId, priceVersion, command.removedBy()));
    }

    @EventSourcingHandler
    void on(ModelPriced event) {
        modelId = event.modelId();
        defined = true;
        deployments = event.deployments();
        prices = event.prices();
        currency = event.currency();
        markupPercent = event.markupPercent();
        defaultCompletionCap = event.defaultCompletionCap();
        priceVersion = event.priceVersion();
    }

    @EventSourcingHandler
    void on(ModelRoutingChanged event) {
        deployments = event.deployments();
        defaultCompletionCap = event.defaultCompletionCap();
    }

    @EventSourcingHandler
    void on(ModelRemoved event) {
        defined = false;
    }

    /**
     * Prices compare by value: "0.60" and "0.6" are the same price and make no new version, and neither does a
     * cache-write price set to what it was by default.
     */
    private boolean pricingChanges(DefineModel command) {
        return !currency.equals(command.currency())
                || markupPercent.compareTo(command.markupPercent()) != 0
                || prices.input().compareTo(command.prices().input()) != 0
                || prices.cachedInput().compareTo(command.prices().cachedInput()) != 0
                || prices.output().compareTo(command.prices().output()) != 0
                || prices.cacheWritePrice().compareTo(command.prices().cacheWritePrice()) != 0;
    }

    private static void requireValid(DefineModel command) {
        Text.require(MODEL_ID, command.modelId(), "modelId");
        Text.requireOptional(IDENTIFIER, command.definedBy(), "definedBy");
        if (command.deployments() == null || command.deployments().isEmpty()) {
            throw invalid("at least one deployment is required");
        }
        for (ModelDeployment deployment : command.deployments()) {
            if (deployment == null || !PROVIDERS.contains(deployment.provider())) {
                throw invalid("provider must be one of " + PROVIDERS);
            }
            Text.require(UPSTREAM_MODEL, deployment.upstreamModel(), "upstreamModel");
            if (deployment.priority() < 0) {
                throw invalid("priority must not be negative");
            }
            if (deployment.weight() < 1) {
                throw invalid("weight must be at least 1");
            }
        }
        ModelPrices prices = command.prices();
        if (prices == null) {
            throw invalid("prices are required");
        }
        requirePrice(prices.input(), "input");
        requirePrice(prices.cachedInput(), "cachedInput");
        requirePrice(prices.output(), "output");
        if (prices.cacheWrite() != null) {
            requirePrice(prices.cacheWrite(), "cacheWrite");
        }
        if (!CURRENCIES.contains(command.currency())) {
            throw invalid("currency must be one of " + CURRENCIES);
        }
        requirePrice(command.markupPercent(), "markupPercent");
        if (command.defaultCompletionCap() != null && command.defaultCompletionCap() <= 0) {
            throw invalid("defaultCompletionCap must be positive when set");
        }
    }

    private static void requirePrice(BigDecimal value, String name) {
        if (value == null || value.signum() < 0 || value.stripTrailingZeros().scale() > MAX_PRICE_DECIMALS) {
            throw invalid(name + " must be a non-negative decimal with at most " + MAX_PRICE_DECIMALS + " decimals");
        }
    }

    private static DomainException invalid(String message) {
        return new DomainException("invalid_input", message);
    }
}
