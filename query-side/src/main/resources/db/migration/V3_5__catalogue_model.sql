-- The model catalogue, read on every LLM call: one row per model, found by its primary key. Deployments are kept
-- as parallel arrays in their defined order. A removed model keeps its row (removed = true) so that last_sequence
-- still turns away a redelivered older event.
create table catalogue_model (
    model_id               text        primary key,
    providers              text[]      not null,
    upstream_models        text[]      not null,
    priorities             integer[]   not null,
    weights                integer[]   not null,
    input_price            numeric     not null,
    cached_input_price     numeric     not null,
    output_price           numeric     not null,
    currency               text        not null,
    markup_percent         numeric     not null,
    default_completion_cap integer,
    price_version          bigint      not null,
    removed                boolean     not null,
    last_sequence          bigint      not null,
    updated_at             timestamptz not null
);
