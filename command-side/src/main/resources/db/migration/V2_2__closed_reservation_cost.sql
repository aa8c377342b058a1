-- The cost a call was charged against a hold, so that the same request charged again at another cost is refused
-- instead of skipped. Null for holds, settlements and charges recorded before it was kept.
alter table closed_reservation add column cost_micros bigint;
