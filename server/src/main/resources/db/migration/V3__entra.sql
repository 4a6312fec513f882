-- One Microsoft Entra ID tenant per company. The tenant id and the client secret are sealed (AES-GCM, see
-- platform.SecretBox); the group's object id is kept plain, as the seeds say.
create table entra_connection (
    company_id                uuid primary key references company (id) on delete cascade,
    tenant_id                 text not null,     -- sealed
    group_id                  text not null,
    client_id                 text not null,
    client_secret             text,              -- sealed
    cloud                     text not null default 'global' check (cloud in ('global', 'usGov', 'china', 'custom')),
    authority_url             text,              -- custom cloud only
    graph_url                 text,              -- custom cloud only
    full_sync_at              text not null default '03:00',   -- daily full reconciliation, HH:mm UTC
    last_full_sync_on         date,
    consent_state             bytea,             -- SHA-256 of the state of the admin-consent redirect under way
    consented_at              timestamptz,
    users_delta_link          text,
    groups_delta_link         text,
    rejected_notifications    bigint not null default 0,   -- items whose clientState did not match
    last_error                text,              -- the latest problem with subscriptions, in an admin's words
    updated_at                timestamptz not null default now()
);

-- Graph subscriptions made for a company. Only a hash of the clientState is kept: it is only ever verified.
create table entra_subscription (
    id                  text primary key,      -- Graph's subscription id
    company_id          uuid not null references company (id) on delete cascade,
    resource            text not null,
    client_state_hash   bytea not null,
    expires_at          timestamptz not null,
    status              text not null default 'active' check (status in ('active', 'reauthorization_required', 'removed')),
    created_at          timestamptz not null default now(),
    renewed_at          timestamptz,
    last_notified_at    timestamptz
);
create index entra_subscription_company on entra_subscription (company_id);
create index entra_subscription_expiry on entra_subscription (expires_at);

-- Notifications recorded by the receiver and not yet turned into a run by the worker.
create table entra_notification (
    id               bigint generated always as identity primary key,
    company_id       uuid not null references company (id) on delete cascade,
    subscription_id  text not null,
    kind             text not null check (kind in ('change', 'lifecycle')),
    change_type      text,
    lifecycle_event  text,
    resource         text,
    object_id        text,
    received_at      timestamptz not null default now()
);
create index entra_notification_company on entra_notification (company_id, id);

-- Photos as Graph last gave them: the etag says whether to download again, the hash names the avatar URL.
create table entra_photo (
    company_id    uuid not null references company (id) on delete cascade,
    user_id       text not null,
    etag          text,
    sha256        text not null,
    content_type  text not null,
    content       bytea not null,
    updated_at    timestamptz not null default now(),
    primary key (company_id, user_id)
);

-- The integration's recurring tasks have their own db-scheduler table: a scheduler that meets a task it does not
-- know warns, and deletes it after 14 days, so the engine's scheduler and this one must not share one.
create table entra_scheduled_tasks (
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
create index entra_scheduled_tasks_execution_time on entra_scheduled_tasks (execution_time);
create index entra_scheduled_tasks_last_heartbeat on entra_scheduled_tasks (last_heartbeat);
create index entra_scheduled_tasks_priority on entra_scheduled_tasks (priority desc, execution_time asc);
