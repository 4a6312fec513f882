-- How far a company lets one run go before it waits for a person: a run that would deactivate more than
-- deactivation_hold_percent of the active people, and at least deactivation_hold_minimum of them, is held.
alter table company add column deactivation_hold_percent int not null default 10 check (deactivation_hold_percent between 0 and 100);
alter table company add column deactivation_hold_minimum int not null default 10 check (deactivation_hold_minimum >= 1);

-- Per company and source: how synced people are invited, whether managers come from the source, and for
-- sources that send files, whether people missing from a file are deactivated.
create table sync_source_settings (
    company_id           uuid not null references company (id) on delete cascade,
    source               text not null,
    invitation_policy    text not null default 'never' check (invitation_policy in ('immediately', 'never')),
    assign_managers      boolean not null default true,
    deactivate_missing   boolean not null default false,
    updated_at           timestamptz not null default now(),
    primary key (company_id, source)
);

-- A company's own mappings for a source, replacing that source's default field table.
create table field_mapping_set (
    company_id  uuid not null references company (id) on delete cascade,
    source      text not null,
    mappings    jsonb not null,
    updated_at  timestamptz not null default now(),
    primary key (company_id, source)
);

create table sync_run (
    id            uuid primary key,
    company_id    uuid not null references company (id) on delete cascade,
    source        text not null,
    dry_run       boolean not null,
    status        text not null check (status in ('queued', 'planning', 'held', 'applying', 'succeeded', 'failed',
                                                  'previewed', 'discarded')),
    requested_by  text not null,
    input_id      uuid,       -- the uploaded file a CSV run reads
    options       jsonb not null default '{}'::jsonb,
    counts        jsonb not null default '{}'::jsonb,
    total         int not null default 0,
    done          int not null default 0,
    error         text,       -- why the run failed, in words an admin understands
    hold_reason   text,
    decided_by    text,
    created_at    timestamptz not null default now(),
    started_at    timestamptz,
    finished_at   timestamptz
);
create index sync_run_company on sync_run (company_id, created_at desc);
-- One run per company and source at a time (a held run waits for its approval and blocks the next one).
create unique index sync_run_one_active on sync_run (company_id, source)
    where status in ('queued', 'planning', 'held', 'applying');

-- The plan of a run: one row per thing to do, applied in order of phase then seq.
create table sync_plan_item (
    run_id       uuid not null references sync_run (id) on delete cascade,
    seq          int not null,
    phase        int not null,      -- 1 teams, 2 people, 3 deactivations, 4 managers, 5 invitations
    kind         text not null,     -- team, create, update, link, reactivate, deactivate, manager, invite, error
    external_id  text,
    person_id    uuid,
    label        text,              -- e-mail or team name, for people reading the plan
    changes      jsonb not null default '{}'::jsonb,
    message      text,              -- for errors: what is wrong with the record, with its line when known
    applied      boolean not null default false,
    apply_error  text,
    primary key (run_id, seq)
);
create index sync_plan_item_pending on sync_plan_item (run_id, phase, seq) where not applied;

create table upload (
    id          uuid primary key,
    company_id  uuid not null references company (id) on delete cascade,
    filename    text not null,
    content     bytea not null,
    created_at  timestamptz not null default now()
);

-- Changes for the outbound events capability to publish; written in the transaction of the change.
create table domain_event (
    id          bigint generated always as identity primary key,
    company_id  uuid not null references company (id) on delete cascade,
    at          timestamptz not null default now(),
    type        text not null,
    subject_id  uuid,
    run_id      uuid,
    payload     jsonb not null default '{}'::jsonb
);
create index domain_event_company on domain_event (company_id, id);

-- db-scheduler's table (its PostgreSQL schema).
create table scheduled_tasks (
    task_name             text not null,
    task_instance         text not null,
    task_data             bytea,
    execution_time        timestamptz not null,
    picked                boolean not null,
    picked_by             text,
    last_success          timestamptz,
    last_failure          timestamptz,
    consecutive_failures  int,
    last_heartbeat        timestamptz,
    version               bigint not null,
    priority              smallint,
    primary key (task_name, task_instance)
);
create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- Matching looks people up by e-mail in bulk; the unique index on (company_id, lower(email)) serves it.
