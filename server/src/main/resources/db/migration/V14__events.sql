-- Events out (issue 15). An event is written by the outbox in the transaction of its change, with the subject as
-- that transaction left it, and gets its place in the feed afterwards, from the sequencer.
--
-- Why a place given after commit and not the id: ids are handed out at insert, so a transaction that took id 10 and
-- commits after the one that took id 11 would slip in behind a reader who had already read 11. The sequencer numbers
-- only committed events (it cannot see others), one pass at a time under the lock of event_sequencer's row, and a
-- pass's numbers become visible together when it commits: a reader who has seen position p has seen every position
-- below p, whichever node wrote the events and in whatever order their transactions began. Writers never wait for
-- each other, which a counter taken inside each writer's transaction would make them do.
-- subject and changes are json, not jsonb: nothing queries inside them, and the feed hands them out as they were
-- written, which json keeps as text and jsonb would have to print again for every read.
alter table domain_event rename column payload to changes;
alter table domain_event alter column changes drop default;
alter table domain_event alter column changes type json using changes::json;
alter table domain_event alter column changes set default '{}'::json;
alter table domain_event
    add column subject_type text,
    add column actor_type   text,
    add column actor_id     text,
    add column actor_label  text,
    add column subject      json,
    add column position     bigint;

create table event_sequencer (
    only_row       boolean primary key default true check (only_row),
    last_position  bigint not null
);

-- Events written before the feed existed take their ids as positions, in id order: nobody could have read them yet.
update domain_event set position = id, subject_type = split_part(type, '.', 1);
insert into event_sequencer (last_position) select coalesce(max(id), 0) from domain_event;

drop index domain_event_company;
create unique index domain_event_feed on domain_event (company_id, position) where position is not null;
-- What the sequencer has still to number: small, as it empties it within milliseconds.
create index domain_event_unnumbered on domain_event (id) where position is null;
-- For retention, which deletes by age.
create index domain_event_age on domain_event (at);
