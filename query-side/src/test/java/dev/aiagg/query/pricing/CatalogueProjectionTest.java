package dev.aiagg.query.pricing;

import dev.aiagg.api.pricing.FindModel;
import dev.aiagg.api.pricing.FindModels;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelPriced;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelRemoved;
import dev.aiagg.api.pricing.ModelRoutingChanged;
import dev.aiagg.api.pricing.ModelView;
import dev.aiagg.query.QueryDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogueProjectionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
    private static final List<ModelDeployment> OPENAI = List.of(new ModelDeployment("openai", "gpt-4o-mini", 1, 1));
    private static final List<ModelDeployment> TWO = List.of(
            new ModelDeployment("openrouter", "openai/gpt-4o-mini", 2, 1),
            new ModelDeployment("openai", "gpt-4o-mini", 1, 3));
    private static final ModelPrices PRICES = new ModelPrices(new BigDecimal("0.15"), new BigDecimal("0.075"),
            new BigDecimal("0.60"));

    private final CatalogueProjection projection = new CatalogueProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void aPricedModelIsFoundWithEverythingItWasDefinedWith() {
        projection.on(priced("gpt-4o-mini", OPENAI, PRICES, "20", 4096, 1), 0, T0);

        assertThat(projection.handle(new FindModel("gpt-4o-mini"))).contains(new ModelView("gpt-4o-mini", OPENAI,
                PRICES, "USD", new BigDecimal("20"), 4096, 1, T0));
        assertThat(projection.handle(new FindModel("gpt-5"))).isEmpty();
    }

    @Test
    void aCacheWritePriceIsKeptAndAModelWithoutOneReadsItAsUnset() {
        ModelPrices withWrites = new ModelPrices(new BigDecimal("3"), new BigDecimal("0.30"), new BigDecimal("15"),
                new BigDecimal("3.75"));
        projection.on(priced("claude", OPENAI, withWrites, "20", 4096, 1), 0, T0);
        projection.on(priced("plain", OPENAI, PRICES, "20", 4096, 1), 0, T0);

        assertThat(projection.handle(new FindModel("claude"))).map(ModelView::prices).contains(withWrites);
        assertThat(projection.handle(new FindModel("plain"))).map(ModelView::prices).contains(PRICES)
                .hasValueSatisfying(prices -> assertThat(prices.cacheWrite()).isNull());

        projection.on(priced("claude", OPENAI, PRICES, "20", 4096, 2), 1, T0.plusSeconds(1));
        assertThat(projection.handle(new FindModel("claude"))).map(ModelView::prices).contains(PRICES);
    }

    @Test
    void modelsAreListedByIdWithDeploymentsInTheirDefinedOrder() {
        projection.on(priced("m-b", TWO, PRICES, "0", null, 1), 0, T0);
        projection.on(priced("m-a", OPENAI, PRICES, "0", null, 1), 0, T0);

        assertThat(projection.handle(new FindModels()).models()).extracting(ModelView::modelId)
                .containsExactly("m-a", "m-b");
        assertThat(projection.handle(new FindModels()).models().get(1).deployments()).isEqualTo(TWO);
    }

    @Test
    void aNewVersionReplacesThePricesAndARoutingChangeKeepsThem() {
        projection.on(priced("m", OPENAI, PRICES, "20", 4096, 1), 0, T0);
        ModelPrices dearer = new ModelPrices(new BigDecimal("0.2"), new BigDecimal("0.1"), new BigDecimal("0.8"));
        projection.on(priced("m", OPENAI, dearer, "25", 4096, 2), 1, T0.plusSeconds(1));
        projection.on(new ModelRoutingChanged("m", TWO, null, 2, "op"), 2, T0.plusSeconds(2));

        assertThat(projection.handle(new FindModel("m"))).contains(new ModelView("m", TWO, dearer, "USD",
                new BigDecimal("25"), null, 2, T0.plusSeconds(2)));
    }

    @Test
    void aRemovedModelIsGoneUntilItIsPricedAgain() {
        projection.on(priced("m", OPENAI, PRICES, "20", 4096, 1), 0, T0);
        projection.on(new ModelRemoved("m", 1, "op"), 1, T0.plusSeconds(1));

        assertThat(projection.handle(new FindModel("m"))).isEmpty();
        assertThat(projection.handle(new FindModels()).models()).isEmpty();

        projection.on(priced("m", OPENAI, PRICES, "20", 4096, 2), 2, T0.plusSeconds(2));
        assertThat(projection.handle(new FindModel("m"))).map(ModelView::priceVersion).contains(2L);
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        ModelPriced first = priced("m", OPENAI, PRICES, "20", 4096, 1);
        projection.on(first, 0, T0);
        projection.on(new ModelRoutingChanged("m", TWO, 100, 1, "op"), 1, T0.plusSeconds(1));
        ModelRemoved removed = new ModelRemoved("m", 1, "op");
        projection.on(removed, 2, T0.plusSeconds(2));
        List<Map<String, Object>> rows = QueryDatabase.rows("catalogue_model", "model_id");

        projection.on(first, 0, T0);
        projection.on(new ModelRoutingChanged("m", TWO, 100, 1, "op"), 1, T0.plusSeconds(1));
        projection.on(removed, 2, T0.plusSeconds(2));

        assertThat(QueryDatabase.rows("catalogue_model", "model_id")).isEqualTo(rows);
        assertThat(projection.handle(new FindModel("m"))).isEmpty();
    }

    @Test
    void resetEmptiesTheTableAndAReplayRebuildsIdenticalRows() {
        Runnable events = () -> {
            projection.on(priced("m-a", OPENAI, PRICES, "20", 4096, 1), 0, T0);
            projection.on(priced("m-b", TWO, PRICES, "0", null, 1), 0, T0);
            projection.on(new ModelRoutingChanged("m-a", TWO, 10, 1, "op"), 1, T0.plusSeconds(1));
            projection.on(new ModelRemoved("m-b", 1, "op"), 1, T0.plusSeconds(2));
        };
        events.run();
        List<Map<String, Object>> rows = QueryDatabase.rows("catalogue_model", "model_id");

        projection.reset();
        assertThat(QueryDatabase.rows("catalogue_model", "model_id")).isEmpty();

        events.run();
        assertThat(QueryDatabase.rows("catalogue_model", "model_id")).isEqualTo(rows).hasSize(2);
    }

    private static ModelPriced priced(String modelId, List<ModelDeployment> deployments, ModelPrices prices,
                                      String markup, Integer cap, long version) {
        return new ModelPriced(modelId, deployments, prices, "USD", new BigDecimal(markup), cap, version, "op");
    }
}
