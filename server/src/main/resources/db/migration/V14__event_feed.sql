-- The event feed reads a company's events in the order their transactions COMMITTED, not in id order: ids are
-- handed out at insert, so a transaction that began earlier but commits later would otherwise slip in behind a
-- reader's cursor and never be read. Each transaction that writes events for a company takes the company's next
-- position just before it commits (a deferred trigger), holding the company's counter row until then; so a
-- position is visible only after every smaller one is, and a reader that has seen position p never misses p - 1.
-- Events of one transaction share its position and are read in id order within it.
alter table domain_event add column xid xid8 not null default pg_current_xact_id();
create index domain_event_transaction on domain_event (company_id, xid, id);

create table event_counter (
    company_id     uuid primary key references company (id) on delete cascade,
    last_position  bigint not null
);

create table event_commit (
    company_id    uuid not null references company (id) on delete cascade,
    position      bigint not null,
    xid           xid8 not null,
    committed_at  timestamptz not null default clock_timestamp(),
    primary key (company_id, position)
);
create unique index event_commit_transaction on event_commit (company_id, xid);
create index event_commit_age on event_commit (committed_at);

-- Runs once per transaction and company, however many events the transaction wrote: the first row's firing
-- takes the position, the others see the transaction-local mark and return.
create function domain_event_commit() returns trigger language plpgsql as $$
declare
    mark text := 'rollcall.event_commit_' || replace(new.company_id::text, '-', '');
    next_position bigint;
begin
    if coalesce(current_setting(mark, true), '') = 'taken' then
        return null;
    end if;
    perform set_config(mark, 'taken', true);
    insert into event_counter (company_id, last_position) values (new.company_id, 1)
    on conflict (company_id) do update set last_position = event_counter.last_position + 1
    returning last_position into next_position;
    insert into event_commit (company_id, position, xid) values (new.company_id, next_position, pg_current_xact_id());
    return null;
end
$$;

create constraint trigger domain_event_commit after insert on domain_event
    deferrable initially deferred for each row execute function domain_event_commit();

-- Events written before the feed existed were all given this migration's transaction: one position per company.
insert into event_counter (company_id, last_position) select distinct company_id, 1 from domain_event;
insert into event_commit (company_id, position, xid) select distinct company_id, 1, pg_current_xact_id() from domain_event;
