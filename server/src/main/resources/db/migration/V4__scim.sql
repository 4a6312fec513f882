-- The SCIM 2.0 server: per company on/off and what DELETE does.
create table scim_settings (
    company_id   uuid primary key references company (id) on delete cascade,
    enabled      boolean not null default false,
    delete_mode  text not null default 'deactivate' check (delete_mode in ('deactivate', 'delete')),
    updated_at   timestamptz not null default now()
);

-- Bearer tokens of SCIM clients, stored as SHA-256 (they carry 256 random bits). A secret token lives until it is
-- revoked or, once rotated, until its overlap window ends; an access token (OAuth client credentials) is short-lived.
create table scim_token (
    id            uuid primary key,
    company_id    uuid not null references company (id) on delete cascade,
    kind          text not null check (kind in ('secret', 'access')),
    name          text not null,
    prefix        text not null,
    token_hash    bytea not null unique,
    client_id     uuid,
    created_at    timestamptz not null default now(),
    created_by    text not null,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
create index scim_token_company on scim_token (company_id, created_at desc);

-- OAuth 2.0 client credentials that trade for access tokens; the secret is stored as SHA-256.
create table scim_client (
    id             uuid primary key,
    company_id     uuid not null references company (id) on delete cascade,
    client_id      text not null unique,
    secret_hash    bytea not null,
    created_at     timestamptz not null default now(),
    created_by     text not null,
    revoked_at     timestamptz
);
create index scim_client_company on scim_client (company_id);

-- The last User document a client sent, the base its PATCHes apply to (attributes Rollcall does not map survive).
create table scim_user (
    person_id   uuid primary key references person (id) on delete cascade,
    company_id  uuid not null references company (id) on delete cascade,
    document    jsonb not null,
    updated_at  timestamptz not null default now()
);

-- A SCIM Group is a tag: the client's displayName (the tag may carry a numbered suffix) and externalId.
create table scim_group (
    tag_id        uuid primary key references tag (id) on delete cascade,
    company_id    uuid not null references company (id) on delete cascade,
    display_name  text not null,
    external_id   text,
    created_at    timestamptz not null default clock_timestamp(),
    updated_at    timestamptz not null default clock_timestamp()
);
create index scim_group_name on scim_group (company_id, lower(display_name));
create index scim_group_external on scim_group (company_id, external_id);
create index scim_group_order on scim_group (company_id, created_at, tag_id);

-- What SCIM clients asked and what they got, for admins to see why a push failed. Bounded per company.
create table scim_request_log (
    id          bigint generated always as identity primary key,
    company_id  uuid not null references company (id) on delete cascade,
    at          timestamptz not null default now(),
    method      text not null,
    path        text not null,
    status      int not null,
    millis      int not null,
    detail      text,
    body        text
);
create index scim_request_log_company on scim_request_log (company_id, id desc);

-- SCIM pages users by an immutable key, so paging stays stable while others write.
create index person_created on person (company_id, created_at, id);
