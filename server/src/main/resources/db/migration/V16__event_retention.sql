-- The events module's recurring task (the feed's retention), in a db-scheduler table of its own (see V3 for why).
create table event_scheduled_tasks (
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
create index event_scheduled_tasks_execution_time on event_scheduled_tasks (execution_time);
create index event_scheduled_tasks_last_heartbeat on event_scheduled_tasks (last_heartbeat);
create index event_scheduled_tasks_priority on event_scheduled_tasks (priority desc, execution_time asc);
