-- Keys that answer repeated deterministic requests from the response cache without being asked per request.
alter table api_key add column response_cache boolean not null default false;
