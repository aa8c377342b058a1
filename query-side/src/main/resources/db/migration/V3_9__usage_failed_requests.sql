-- Calls that failed before the provider sent anything are usage too (they cost nothing): counted per day apart.
alter table usage_daily add column failed_requests bigint not null default 0;
