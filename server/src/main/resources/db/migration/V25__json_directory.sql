-- One JSON directory (an HR system or in-house directory serving its people as JSON) per company. The bearer token is
-- sealed (AES-GCM, see platform.SecretBox).
create table jsondirectory_connection (
    company_id         uuid primary key references company (id) on delete cascade,
    people_url         text not null,     -- GET {people_url}?limit=N lists the people, following "next"
    token              text,              -- sealed
    full_sync_at       text not null default '03:00',     -- daily full sync, HH:mm UTC
    last_full_sync_on  date,
    updated_at         timestamptz not null default now()
);

-- The integration's recurring tasks, in a db-scheduler table of their own (see V3 for why).
create table jsondirectory_scheduled_tasks (
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
create index jsondirectory_scheduled_tasks_execution_time on jsondirectory_scheduled_tasks (execution_time);
create index jsondirectory_scheduled_tasks_last_heartbeat on jsondirectory_scheduled_tasks (last_heartbeat);
create index jsondirectory_scheduled_tasks_priority on jsondirectory_scheduled_tasks (priority desc, execution_time asc);
