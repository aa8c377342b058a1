-- Sign-in credentials stay out of the event store: events are immutable and broadcast, a password hash must be
-- erasable. Deleting a member's row erases its hash and its refresh tokens.
CREATE TABLE member_credential (
    member_id     varchar(64)  PRIMARY KEY,
    company_id    varchar(64),                       -- null for platform operators
    email         varchar(254) NOT NULL,
    password_hash varchar(100) NOT NULL,             -- bcrypt
    role          varchar(32)  NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT member_credential_email_key UNIQUE (email),
    CONSTRAINT member_credential_email_lower CHECK (email = lower(email))
);

CREATE INDEX member_credential_company_idx ON member_credential (company_id);

-- Rotating refresh tokens; only the SHA-256 (hex) of a token is kept. A family is all tokens of one sign-in.
CREATE TABLE refresh_token (
    token_hash varchar(64) PRIMARY KEY,
    family_id  varchar(64) NOT NULL,
    member_id  varchar(64) NOT NULL REFERENCES member_credential (member_id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz
);

CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
CREATE INDEX refresh_token_member_idx ON refresh_token (member_id);

-- Each company's own referral code, unique across the platform from the moment of registration.
CREATE TABLE company_referral_code (
    code       varchar(16) PRIMARY KEY,
    company_id varchar(64) NOT NULL UNIQUE
);
