-- Read model of the sample projection used by the axon-config tests only.
create table sample_note (
    event_id        varchar(255) primary key,
    notebook_id     varchar(255) not null,
    text            varchar(255) not null,
    correlation_id  varchar(255)
);
