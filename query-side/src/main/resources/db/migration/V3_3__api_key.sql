-- API keys as listings and authentication see them. Only SHA-256 hashes of secrets are kept.
create table api_key (
    key_id                 text        primary key,
    company_id             text        not null,
    name                   text,
    secret_prefix          text        not null,
    secret_hash            text        not null,
    previous_secret_hash   text,
    previous_valid_until   timestamptz,
    models                 text[]      not null,
    rpm                    integer,
    tpm                    integer,
    monthly_budget_micros  bigint,
    expires_at             timestamptz,
    status                 text        not null,
    issued_at              timestamptz not null,
    rotated_at             timestamptz,
    revoked_at             timestamptz,
    last_sequence          bigint      not null
);

create unique index api_key_by_secret_hash on api_key (secret_hash);
create index api_key_by_previous_secret_hash on api_key (previous_secret_hash) where previous_secret_hash is not null;
create index api_key_by_company on api_key (company_id, issued_at desc);

-- Whether a key's company is suspended, kept by the same processing group so a grant never waits for another one.
create table api_key_company (
    company_id    text    primary key,
    suspended     boolean not null,
    last_sequence bigint  not null
);
