-- One Okta org per company. The API token and the service app's client secret are sealed (AES-GCM, see
-- platform.SecretBox); the event-hook secret is only ever verified, so only its SHA-256 is kept.
create table okta_connection (
    company_id              uuid primary key references company (id) on delete cascade,
    org_url                 text not null,
    authorization_server    text not null default 'default',   -- 'org' or a custom server's id (sign-in)
    auth_method             text not null check (auth_method in ('token', 'oauth')),
    api_token               text,              -- sealed
    client_id               text,
    client_secret           text,              -- sealed
    app_id                  text not null,     -- the Rollcall app in Okta: only people assigned to it are synced
    hook_secret_hash        bytea,             -- SHA-256 of the Authorization value Okta sends with event hooks
    picture_attribute       text not null default 'pictureUrl',
    allow_private_pictures  boolean not null default false,
    full_sync_at            text not null default '03:00',     -- daily full sync, HH:mm UTC
    last_full_sync_on       date,
    rejected_deliveries     bigint not null default 0,
    updated_at              timestamptz not null default now()
);
create unique index okta_connection_hook_secret on okta_connection (hook_secret_hash);

-- Every event-hook event received, by its uuid (so a redelivery is recognised), until the worker applied it.
create table okta_event (
    company_id    uuid not null references company (id) on delete cascade,
    uuid          text not null,
    published     timestamptz not null,
    event_type    text not null,
    user_id       text not null,
    received_at   timestamptz not null default now(),
    processed_at  timestamptz,
    primary key (company_id, uuid)
);
create index okta_event_pending on okta_event (company_id, published) where processed_at is null;
create index okta_event_processed on okta_event (processed_at) where processed_at is not null;

-- The newest event applied per Okta user: an event published earlier that arrives later changes nothing.
create table okta_user_state (
    company_id      uuid not null references company (id) on delete cascade,
    user_id         text not null,
    last_published  timestamptz not null,
    primary key (company_id, user_id)
);

-- Pictures fetched from the picture URL attribute; the URL says whether to fetch again, the hash names the avatar URL.
create table okta_picture (
    company_id    uuid not null references company (id) on delete cascade,
    user_id       text not null,
    source_url    text not null,
    sha256        text not null,
    content_type  text not null,
    content       bytea not null,
    updated_at    timestamptz not null default now(),
    primary key (company_id, user_id)
);

-- The integration's recurring tasks, in a db-scheduler table of their own (see V3 for why).
create table okta_scheduled_tasks (
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
create index okta_scheduled_tasks_execution_time on okta_scheduled_tasks (execution_time);
create index okta_scheduled_tasks_last_heartbeat on okta_scheduled_tasks (last_heartbeat);
create index okta_scheduled_tasks_priority on okta_scheduled_tasks (priority desc, execution_time asc);
