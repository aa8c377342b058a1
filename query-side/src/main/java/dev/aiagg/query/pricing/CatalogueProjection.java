package dev.aiagg.query.pricing;

import dev.aiagg.api.pricing.FindModel;
import dev.aiagg.api.pricing.FindModels;
import dev.aiagg.api.pricing.ModelDeployment;
import dev.aiagg.api.pricing.ModelList;
import dev.aiagg.api.pricing.ModelPriced;
import dev.aiagg.api.pricing.ModelPrices;
import dev.aiagg.api.pricing.ModelRemoved;
import dev.aiagg.api.pricing.ModelRoutingChanged;
import dev.aiagg.api.pricing.ModelView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * The model catalogue that routes and prices every LLM call: one row per model, read by its primary key. Each
 * model is its own aggregate, so its sequence number orders its events; an event at or below the row's last
 * sequence is a redelivery and changes nothing.
 */
@Component
@ProcessingGroup("catalogue")
class CatalogueProjection {

    private static final String COLUMNS = """
            model_id, providers, upstream_models, priorities, weights, input_price, cached_input_price,
            output_price, cache_write_price, currency, markup_percent, default_completion_cap, price_version, updated_at
            """;

    private final NamedParameterJdbcTemplate jdbc;

    CatalogueProjection(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ModelPriced event, @SequenceNumber long sequence, @Timestamp Instant at) {
        MapSqlParameterSource params = deployments(event.deployments())
                .addValue("modelId", event.modelId())
                .addValue("input", event.prices().input())
                .addValue("cachedInput", event.prices().cachedInput())
                .addValue("output", event.prices().output())
                .addValue("cacheWrite", event.prices().cacheWrite(), java.sql.Types.NUMERIC)
                .addValue("currency", event.currency())
                .addValue("markup", event.markupPercent())
                .addValue("cap", event.defaultCompletionCap())
                .addValue("version", event.priceVersion())
                .addValue("sequence", sequence)
                .addValue("at", java.sql.Timestamp.from(at));
        jdbc.update("""
                insert into catalogue_model as m (model_id, providers, upstream_models, priorities, weights,
                                                  input_price, cached_input_price, output_price, cache_write_price,
                                                  currency, markup_percent, default_completion_cap, price_version,
                                                  removed, last_sequence, updated_at)
                values (:modelId, :providers, :upstreamModels, :priorities, :weights, :input, :cachedInput, :output,
                        :cacheWrite, :currency, :markup, :cap, :version, false, :sequence, :at)
                on conflict (model_id) do update
                    set providers = excluded.providers, upstream_models = excluded.upstream_models,
                        priorities = excluded.priorities, weights = excluded.weights,
                        input_price = excluded.input_price, cached_input_price = excluded.cached_input_price,
                        output_price = excluded.output_price, cache_write_price = excluded.cache_write_price,
                        currency = excluded.currency,
                        markup_percent = excluded.markup_percent,
                        default_completion_cap = excluded.default_completion_cap,
                        price_version = excluded.price_version, removed = false,
                        last_sequence = excluded.last_sequence, updated_at = excluded.updated_at
                    where m.last_sequence < excluded.last_sequence
                """, params);
    }

    @EventHandler
    void on(ModelRoutingChanged event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                update catalogue_model
                set providers = :providers, upstream_models = :upstreamModels, priorities = :priorities,
                    weights = :weights, default_completion_cap = :cap, last_sequence = :sequence, updated_at = :at
                where model_id = :modelId and last_sequence < :sequence
                """, deployments(event.deployments())
                .addValue("modelId", event.modelId())
                .addValue("cap", event.defaultCompletionCap())
                .addValue("sequence", sequence)
                .addValue("at", java.sql.Timestamp.from(at)));
    }

    @EventHandler
    void on(ModelRemoved event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.update("""
                update catalogue_model set removed = true, last_sequence = :sequence, updated_at = :at
                where model_id = :modelId and last_sequence < :sequence
                """, new MapSqlParameterSource()
                .addValue("modelId", event.modelId())
                .addValue("sequence", sequence)
                .addValue("at", java.sql.Timestamp.from(at)));
    }

    @ResetHandler
    void reset() {
        jdbc.getJdbcOperations().execute("truncate catalogue_model");
    }

    @QueryHandler
    ModelList handle(FindModels query) {
        return new ModelList(jdbc.query(
                "select " + COLUMNS + " from catalogue_model where not removed order by model_id",
                (rs, row) -> view(rs)));
    }

    @QueryHandler
    Optional<ModelView> handle(FindModel query) {
        return jdbc.query("select " + COLUMNS + " from catalogue_model where model_id = :modelId and not removed",
                new MapSqlParameterSource("modelId", query.modelId()), (rs, row) -> view(rs)).stream().findFirst();
    }

    private static MapSqlParameterSource deployments(List<ModelDeployment> deployments) {
        return new MapSqlParameterSource()
                .addValue("providers", new SqlArrayValue("text",
                        deployments.stream().map(ModelDeployment::provider).toArray()))
                .addValue("upstreamModels", new SqlArrayValue("text",
                        deployments.stream().map(ModelDeployment::upstreamModel).toArray()))
                .addValue("priorities", new SqlArrayValue("integer",
                        deployments.stream().map(ModelDeployment::priority).toArray()))
                .addValue("weights", new SqlArrayValue("integer",
                        deployments.stream().map(ModelDeployment::weight).toArray()));
    }

    private static ModelView view(ResultSet rs) throws SQLException {
        String[] providers = (String[]) rs.getArray("providers").getArray();
        String[] upstreamModels = (String[]) rs.getArray("upstream_models").getArray();
        Integer[] priorities = (Integer[]) rs.getArray("priorities").getArray();
        Integer[] weights = (Integer[]) rs.getArray("weights").getArray();
        List<ModelDeployment> deployments = new ArrayList<>(providers.length);
        for (int i = 0; i < providers.length; i++) {
            deployments.add(new ModelDeployment(providers[i], upstreamModels[i], priorities[i], weights[i]));
        }
        return new ModelView(rs.getString("model_id"), List.copyOf(deployments),
                new ModelPrices(rs.getBigDecimal("input_price"), rs.getBigDecimal("cached_input_price"),
                        rs.getBigDecimal("output_price"), rs.getBigDecimal("cache_write_price")),
                rs.getString("currency"), rs.getBigDecimal("markup_percent"),
                rs.getObject("default_completion_cap", Integer.class), rs.getLong("price_version"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
