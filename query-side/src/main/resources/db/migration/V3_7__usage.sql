-- One row per settled request that carried charge details; a redelivered settlement is a duplicate key.
create table usage_request (
    company_id         text        not null,
    request_id         text        not null,
    occurred_at        timestamptz not null,
    key_id             text,
    model              text,
    deployment         text,
    prompt_tokens      bigint      not null,
    cached_tokens      bigint      not null,
    completion_tokens  bigint      not null,
    reasoning_tokens   bigint      not null,
    cost_micros        bigint      not null,
    charged_micros     bigint      not null,
    uncollected_micros bigint      not null,
    latency_millis     bigint      not null,
    outcome            text,
    estimated          boolean     not null,
    cache_hit          boolean     not null,
    price_version      bigint      not null,
    fx_rate            numeric,
    fx_date            date,
    primary key (company_id, request_id)
);
create index usage_request_time on usage_request (company_id, occurred_at);

-- The requests above added up per UTC day, key and model (an empty string for a request without one), in the
-- same statement that inserts each request, so the two always agree.
create table usage_daily (
    company_id        text   not null,
    day               date   not null,
    key_id            text   not null,
    model             text   not null,
    requests          bigint not null,
    prompt_tokens     bigint not null,
    cached_tokens     bigint not null,
    completion_tokens bigint not null,
    reasoning_tokens  bigint not null,
    cost_micros       bigint not null,
    charged_micros    bigint not null,
    primary key (company_id, day, key_id, model)
);
