-- Ledger entries that move a balance. entry is the account event's sequence number: it orders the entries of a
-- company, serves as the page cursor, and makes a redelivered event a duplicate key.
create table statement_entry (
    company_id           text        not null,
    entry                bigint      not null,
    occurred_at          timestamptz not null,
    type                 text        not null,
    reference            text        not null,
    amount_micros        bigint      not null,
    balance_after_micros bigint      not null,
    description          text,
    primary key (company_id, entry)
);
