-- The price of input written to the provider's prompt cache, per million tokens; null when the model has none of its
-- own and cache writes cost 1.25 × the input price (models defined before it existed).
alter table catalogue_model add column cache_write_price numeric;
