-- One row per company account. The figures are the ones the last applied event carried; last_sequence keeps a
-- redelivered older event from overwriting a newer state.
create table account_balance (
    company_id          text        primary key,
    account_id          text        not null,
    currency            text        not null,
    credit_limit_micros bigint      not null,
    balance_micros      bigint      not null,
    reserved_micros     bigint      not null,
    last_sequence       bigint      not null,
    updated_at          timestamptz not null
);
