-- Webhooks out (issue 15): a company's endpoints, how far each has been delivered, and each delivery.
--
-- An endpoint reads the feed from delivered_up_to, like any consumer: events past it are either not yet seen or being
-- sent by the node that holds the endpoint's lease. A delivery row is written for every event sent (compact, in one
-- statement per batch); only a failure or a wait leaves it 'pending' or 'queued'.

create table webhook_endpoint (
    id                     uuid primary key,
    company_id             uuid not null references company (id) on delete cascade,
    url                    text not null,
    description            text not null default '',
    -- Exact types (person.created) or prefixes (person.*); empty means every type.
    event_types            text[] not null default '{}',
    enabled                boolean not null default true,
    disabled_reason        text,
    disabled_at            timestamptz,
    -- whsec_... sealed by SecretBox; the previous one is still signed with until previous_secret_until.
    secret                 text not null,
    previous_secret        text,
    previous_secret_until  timestamptz,
    created_at             timestamptz not null,
    updated_at             timestamptz not null
);
create index webhook_endpoint_company on webhook_endpoint (company_id, created_at);

-- What changes with every batch, apart from what an admin edits: a narrow row, updated in place.
create table webhook_endpoint_progress (
    endpoint_id      uuid primary key references webhook_endpoint (id) on delete cascade,
    -- Every event of the company up to this feed position has a delivery row (or was not wanted).
    delivered_up_to  bigint not null,
    -- Since when every attempt has failed; null after any success. Five days of it disables the endpoint.
    failing_since    timestamptz,
    -- The node delivering to this endpoint, and until when (database time) its claim holds without renewal.
    lease_owner      text,
    lease_until      timestamptz
);

create table webhook_delivery (
    id               bigint generated always as identity primary key,
    endpoint_id      uuid not null references webhook_endpoint (id) on delete cascade,
    -- domain_event.id and position; null for a test event, whose body is kept here instead.
    event_id         bigint,
    position         bigint,
    event_type       text not null,
    subject_id       uuid,
    body             text,
    -- delivered; pending (next_attempt_at says when); queued (waits for an earlier event of its subject); failed
    -- (given up after three days).
    status           text not null check (status in ('delivered', 'pending', 'queued', 'failed')),
    attempts         smallint not null default 0,
    http_status      smallint,
    latency_ms       integer,
    -- The answer's first kilobyte, or why there was none.
    answer           text,
    created_at       timestamptz not null,
    last_attempt_at  timestamptz,
    next_attempt_at  timestamptz
);
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, id);
-- What is due, and which subjects wait: small, as only failures and waits are in it.
create index webhook_delivery_due on webhook_delivery (endpoint_id, next_attempt_at) where status = 'pending';
create index webhook_delivery_waiting on webhook_delivery (endpoint_id, subject_id, position)
    where status in ('pending', 'queued');
-- For forgetting old deliveries; a BRIN index costs next to nothing on rows written in time order.
create index webhook_delivery_age on webhook_delivery using brin (created_at);
