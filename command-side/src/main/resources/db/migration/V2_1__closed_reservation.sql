-- Request ids of holds that were settled, released or expired. Kept outside the Account aggregate so that
-- its snapshots stay small however many requests an account has served.
create table closed_reservation (
    account_id text        not null,
    request_id text        not null,
    closed_at  timestamptz not null default now(),
    primary key (account_id, request_id)
);
