-- Holds not yet settled, released or expired, so the expiry sweep finds the accounts with overdue ones.
create table open_reservation (
    account_id text        not null,
    request_id text        not null,
    expires_at timestamptz not null,
    primary key (account_id, request_id)
);
create index open_reservation_expiry on open_reservation (expires_at);
