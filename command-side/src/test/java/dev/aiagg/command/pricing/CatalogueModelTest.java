package dev.aiagg.command.pricing;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.api.pricing.DefineModel;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelPriced;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelRemoved;
import dev.aiagg.api.pricing.ModelRoutingChanged;
import dev.aiagg.api.pricing.RemoveModel;
import java.math.BigDecimal;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.aiagg.command.Refusals.refusedWith;

class CatalogueModelTest {

    static final String MODEL = "gpt-4o-mini";
    static final String OPERATOR = "op-1";
    static final List<ModelDeployment> OPENAI = List.of(new ModelDeployment("openai", "gpt-4o-mini", 1, 1));
    static final List<ModelDeployment> TWO = List.of(new ModelDeployment("openai", "gpt-4o-mini", 1, 3),
            new ModelDeployment("openrouter", "openai/gpt-4o-mini", 2, 1));
    static final ModelPrices PRICES = prices("0.15", "0.075", "0.60");

    final AggregateTestFixture<CatalogueModel> fixture = new AggregateTestFixture<>(CatalogueModel.class);

    static DefineModel define(List<ModelDeployment> deployments, ModelPrices prices, String currency, String markup,
                              Integer cap) {
        return new DefineModel(MODEL, deployments, prices, currency, new BigDecimal(markup), cap, OPERATOR);
    }

    static DefineModel define() {
        return define(OPENAI, PRICES, "USD", "20", 4096);
    }

    static ModelPriced priced(long version) {
        return priced(OPENAI, PRICES, "USD", "20", 4096, version);
    }

    static ModelPriced priced(List<ModelDeployment> deployments, ModelPrices prices, String currency, String markup,
                              Integer cap, long version) {
        return new ModelPriced(MODEL, deployments, prices, currency, new BigDecimal(markup), cap, version, OPERATOR);
    }

    static ModelPrices prices(String input, String cachedInput, String output) {
        return new ModelPrices(new BigDecimal(input), new BigDecimal(cachedInput), new BigDecimal(output));
    }

    @Nested
    class DefiningAModel {

        @Test
        void theFirstDefinitionIsPriceVersionOne() {
            fixture.givenNoPriorActivity()
                    .when(define())
                    .expectEvents(priced(1));
        }

        @Test
        void newPricesMakeANewVersion() {
            fixture.given(priced(1))
                    .when(define(OPENAI, prices("0.15", "0.075", "0.65"), "USD", "20", 4096))
                    .expectEvents(priced(OPENAI, prices("0.15", "0.075", "0.65"), "USD", "20", 4096, 2));
        }

        @Test
        void aNewCurrencyOrMarkupMakesANewVersion() {
            fixture.given(priced(1), priced(OPENAI, PRICES, "RUB", "20", 4096, 2))
                    .when(define(OPENAI, PRICES, "RUB", "25", 4096))
                    .expectEvents(priced(OPENAI, PRICES, "RUB", "25", 4096, 3));
        }

        @Test
        void newDeploymentsKeepTheVersion() {
            fixture.given(priced(1), priced(OPENAI, prices("0.15", "0.075", "0.65"), "USD", "20", 4096, 2))
                    .when(define(TWO, prices("0.15", "0.075", "0.65"), "USD", "20", 4096))
                    .expectEvents(new ModelRoutingChanged(MODEL, TWO, 4096, 2, OPERATOR));
        }

        @Test
        void aNewCompletionCapKeepsTheVersion() {
            fixture.given(priced(1))
                    .when(define(OPENAI, PRICES, "USD", "20", null))
                    .expectEvents(new ModelRoutingChanged(MODEL, OPENAI, null, 1, OPERATOR));
        }

        @Test
        void anUnchangedDefinitionChangesNothing() {
            fixture.given(priced(1))
                    .when(define(OPENAI, prices("0.150", "0.0750", "0.6"), "USD", "20.0", 4096))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void definingAgainAfterRemovalContinuesTheVersionCount() {
            fixture.given(priced(1), priced(OPENAI, PRICES, "USD", "30", 4096, 2),
                            new ModelRemoved(MODEL, 2, OPERATOR))
                    .when(define())
                    .expectEvents(priced(3));
        }

        @Test
        void aCacheWritePriceIsPartOfThePricesAndMakesANewVersion() {
            ModelPrices withWrites = new ModelPrices(new BigDecimal("0.15"), new BigDecimal("0.075"),
                    new BigDecimal("0.60"), new BigDecimal("0.30"));
            fixture.given(priced(1))
                    .when(define(OPENAI, withWrites, "USD", "20", 4096))
                    .expectEvents(priced(OPENAI, withWrites, "USD", "20", 4096, 2));
        }

        @Test
        void aCacheWritePriceSetToItsDefaultChangesNothing() {
            // Without one, cache writes cost 1.25 × input: 0.1875 here.
            fixture.given(priced(1))
                    .when(define(OPENAI, new ModelPrices(new BigDecimal("0.15"), new BigDecimal("0.075"),
                            new BigDecimal("0.60"), new BigDecimal("0.18750")), "USD", "20", 4096))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void droppingTheCacheWritePriceGoesBackToTheDefaultInANewVersion() {
            ModelPrices withWrites = new ModelPrices(new BigDecimal("0.15"), new BigDecimal("0.075"),
                    new BigDecimal("0.60"), new BigDecimal("0.30"));
            fixture.given(priced(1), priced(OPENAI, withWrites, "USD", "20", 4096, 2))
                    .when(define())
                    .expectEvents(priced(3));
        }

        @Test
        void pricesMayBeZero() {
            fixture.givenNoPriorActivity()
                    .when(define(OPENAI, prices("0", "0", "0"), "RUB", "0", null))
                    .expectEvents(priced(OPENAI, prices("0", "0", "0"), "RUB", "0", null, 1));
        }
    }

    @Nested
    class RefusingADefinition {

        @Test
        void refusesAnUnknownProvider() {
            refuses(define(List.of(new ModelDeployment("azure", "gpt-4o-mini", 1, 1)), PRICES, "USD", "20", null));
        }

        @Test
        void refusesADefinitionWithoutDeployments() {
            refuses(define(List.of(), PRICES, "USD", "20", null));
        }

        @Test
        void refusesANegativePriorityOrAWeightBelowOne() {
            refuses(define(List.of(new ModelDeployment("openai", "gpt-4o-mini", -1, 1)), PRICES, "USD", "20", null));
            refuses(define(List.of(new ModelDeployment("openai", "gpt-4o-mini", 0, 0)), PRICES, "USD", "20", null));
        }

        @Test
        void refusesADeploymentWithoutAnUpstreamModel() {
            refuses(define(List.of(new ModelDeployment("openai", " ", 0, 1)), PRICES, "USD", "20", null));
        }

        @Test
        void refusesControlCharactersInTheUpstreamModel() {
            refuses(define(List.of(new ModelDeployment("openai", "gpt-4o\u0000", 0, 1)), PRICES, "USD", "20", null));
            refuses(define(List.of(new ModelDeployment("openai", "gpt 4o", 0, 1)), PRICES, "USD", "20", null));
            refuses(define(List.of(new ModelDeployment("openai\u0000", "gpt-4o", 0, 1)), PRICES, "USD", "20", null));
        }

        @Test
        void takesAnOpenRouterModelNameWithSlashes() {
            fixture.givenNoPriorActivity()
                    .when(define(List.of(new ModelDeployment("openrouter", "meta-llama/llama-3.1-8b-instruct:free", 0,
                            1)), PRICES, "USD", "20", null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void refusesNegativePricesAndMoreThanSixDecimals() {
            refuses(define(OPENAI, prices("-0.01", "0", "0"), "USD", "20", null));
            refuses(define(OPENAI, prices("0.0000001", "0", "0"), "USD", "20", null));
            refuses(define(OPENAI, new ModelPrices(BigDecimal.ONE, null, BigDecimal.ONE), "USD", "20", null));
            refuses(define(OPENAI, new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                    new BigDecimal("-1")), "USD", "20", null));
            refuses(define(OPENAI, new ModelPrices(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE,
                    new BigDecimal("0.0000001")), "USD", "20", null));
        }

        @Test
        void refusesAnUnknownCurrencyANegativeMarkupAndACapBelowOne() {
            refuses(define(OPENAI, PRICES, "EUR", "20", null));
            refuses(define(OPENAI, PRICES, "USD", "-1", null));
            refuses(define(OPENAI, PRICES, "USD", "20", 0));
        }

        @Test
        void refusesAModelIdThatCannotBeAPathSegment() {
            fixture.givenNoPriorActivity()
                    .when(new DefineModel("openai/gpt-4o", OPENAI, PRICES, "USD", BigDecimal.TEN, null, OPERATOR))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void refusesAModelIdWithAControlCharacter() {
            fixture.givenNoPriorActivity()
                    .when(new DefineModel("gpt\u0000", OPENAI, PRICES, "USD", BigDecimal.TEN, null, OPERATOR))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        @Test
        void aRefusedChangeLeavesTheModelAsItWas() {
            fixture.given(priced(1))
                    .when(define(OPENAI, prices("1", "1", "1"), "GBP", "20", 4096))
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }

        private void refuses(DefineModel command) {
            fixture.givenNoPriorActivity()
                    .when(command)
                    .expectException(refusedWith("invalid_input"))
                    .expectNoEvents();
        }
    }

    @Nested
    class RemovingAModel {

        @Test
        void removesADefinedModelKeepingItsVersion() {
            fixture.given(priced(1), priced(OPENAI, PRICES, "USD", "30", 4096, 2))
                    .when(new RemoveModel(MODEL, OPERATOR))
                    .expectEvents(new ModelRemoved(MODEL, 2, OPERATOR));
        }

        @Test
        void aRemovedModelIsNotFound() {
            fixture.given(priced(1), new ModelRemoved(MODEL, 1, OPERATOR))
                    .when(new RemoveModel(MODEL, OPERATOR))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }

        @Test
        void aModelNeverDefinedIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(new RemoveModel(MODEL, OPERATOR))
                    .expectException(NotFoundException.class)
                    .expectNoEvents();
        }
    }
}
