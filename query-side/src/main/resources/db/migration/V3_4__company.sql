create table company (
    company_id    text        primary key,
    name          text        not null,
    email         text        not null,
    referral_code text,
    referred_by   text,
    status        text        not null,
    registered_at timestamptz not null,
    last_sequence bigint      not null
);

create unique index company_by_referral_code on company (referral_code);
create index company_by_registered_at on company (registered_at desc, company_id desc);

create table member (
    member_id  text        primary key,
    company_id text        not null,
    email      text        not null,
    role       text        not null,
    added_at   timestamptz not null
);

create index member_by_company on member (company_id);
