-- Charges of LLM calls the ledger refused by one of its rules, kept for an operator to have charged again or evict
-- (GET /api/admin/charge-dead-letters). One row per call; a charge refused again counts another attempt.
CREATE TABLE charge_dead_letter (
    request_id  varchar(128) PRIMARY KEY,
    account_id  varchar(128) NOT NULL,
    company_id  varchar(128) NOT NULL,
    hold_id     varchar(128) NOT NULL,
    cost_micros bigint       NOT NULL,
    charge      jsonb        NOT NULL,                -- the call's charge as it was sent, its details included
    code        varchar(64)  NOT NULL,                -- the ledger's refusal code
    reason      text         NOT NULL,
    refused_at  timestamptz  NOT NULL,
    attempts    integer      NOT NULL DEFAULT 1
);

CREATE INDEX charge_dead_letter_refused_at_idx ON charge_dead_letter (refused_at);
