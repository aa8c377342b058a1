-- Calls answered from the response cache, counted per day apart.
alter table usage_daily add column cache_hits bigint not null default 0;
