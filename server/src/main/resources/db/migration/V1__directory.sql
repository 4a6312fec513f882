-- Companies are tenants: every other row carries company_id, and every query filters on it.
create table company (
    id                uuid primary key,
    slug              text not null unique check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name              text not null,
    default_timezone  text not null default 'UTC',
    default_language  text not null default 'en',
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);

-- Only a hash of a key is kept: keys are 256-bit random, so SHA-256 is enough and lookups stay O(1).
create table api_key (
    id            uuid primary key,
    company_id    uuid not null references company (id) on delete cascade,
    name          text not null,
    prefix        text not null,
    key_hash      bytea not null unique,
    created_at    timestamptz not null default now(),
    created_by    text not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index api_key_company on api_key (company_id);

create table team (
    id          uuid primary key,
    company_id  uuid not null references company (id) on delete cascade,
    name        text not null,
    parent_id   uuid references team (id) on delete set null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check (parent_id is null or parent_id <> id)
);
create unique index team_name on team (company_id, lower(name));
create index team_parent on team (parent_id);

create table person (
    id                  uuid primary key,
    company_id          uuid not null references company (id) on delete cascade,
    email               text not null,
    first_name          text,
    last_name           text,
    title               text,   -- honorific, e.g. Dr
    job_title           text,
    language            text,
    location            text,
    department          text,
    primary_team_id     uuid references team (id) on delete set null,
    avatar_url          text,
    hire_date           date,
    phone               text,
    street_address      text,
    city                text,
    postal_code         text,
    country             text,
    company_name        text,
    office              text,
    employee_id         text,
    custom_fields       jsonb not null default '{}'::jsonb,
    status              text not null default 'active' check (status in ('active', 'deactivated')),
    invitation_state    text not null default 'not_invited' check (invitation_state in ('not_invited', 'invited', 'accepted')),
    role                text not null default 'learner' check (role in ('owner', 'admin', 'learner')),
    override_manager_id uuid references person (id) on delete set null,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    deactivated_at      timestamptz,
    check (override_manager_id is null or override_manager_id <> id)
);
create unique index person_email on person (company_id, lower(email));
create index person_company_status on person (company_id, status, id);
-- The people list is ordered by name; this index serves its keyset pagination.
create index person_by_name on person (company_id, lower(coalesce(last_name, '')), lower(coalesce(first_name, '')), id);
create index person_primary_team on person (primary_team_id);
create index person_override_manager on person (override_manager_id);

-- One identity per source: an Entra object id, an Okta id, a SCIM id.
create table person_identity (
    company_id   uuid not null references company (id) on delete cascade,
    person_id    uuid not null references person (id) on delete cascade,
    source       text not null,
    external_id  text not null,
    linked_at    timestamptz not null default now(),
    primary key (person_id, source),
    unique (company_id, source, external_id)
);

create table team_manager (
    team_id    uuid not null references team (id) on delete cascade,
    person_id  uuid not null references person (id) on delete cascade,
    added_at   timestamptz not null default clock_timestamp(),
    primary key (team_id, person_id)
);
create index team_manager_person on team_manager (person_id);

create table secondary_team_membership (
    team_id    uuid not null references team (id) on delete cascade,
    person_id  uuid not null references person (id) on delete cascade,
    primary key (team_id, person_id)
);
create index secondary_team_membership_person on secondary_team_membership (person_id);

create table tag (
    id           uuid primary key,
    company_id   uuid not null references company (id) on delete cascade,
    name         text not null,
    created_at   timestamptz not null default now()
);
create unique index tag_name on tag (company_id, lower(name));

create table person_tag (
    tag_id     uuid not null references tag (id) on delete cascade,
    person_id  uuid not null references person (id) on delete cascade,
    primary key (tag_id, person_id)
);
create index person_tag_person on person_tag (person_id);

create table custom_field (
    id          uuid primary key,
    company_id  uuid not null references company (id) on delete cascade,
    key         text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
    label       text not null,
    type        text not null default 'text' check (type in ('text', 'number', 'date', 'boolean')),
    created_at  timestamptz not null default now(),
    unique (company_id, key)
);

create table invitation (
    id           uuid primary key,
    company_id   uuid not null references company (id) on delete cascade,
    person_id    uuid not null references person (id) on delete cascade,
    token_hash   bytea not null unique,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    sent_at         timestamptz,
    delivery_error  text,   -- why the last e-mail could not be handed to the SMTP server
    used_at         timestamptz,
    revoked_at      timestamptz
);
create index invitation_person on invitation (person_id);

-- Append-only history of every change: who (a person, an API key, a source, the operator), what, old -> new.
create table audit_entry (
    id            bigint generated always as identity primary key,
    company_id    uuid not null references company (id) on delete cascade,
    at            timestamptz not null default now(),
    actor_type    text not null,
    actor_id      text,
    actor_label   text not null,
    subject_type  text not null,
    subject_id    uuid,
    action        text not null,
    changes       jsonb not null default '{}'::jsonb
);
create index audit_entry_company on audit_entry (company_id, id desc);
create index audit_entry_subject on audit_entry (company_id, subject_id, id desc);

-- Password sign-in. Kept apart from the directory: a person's profile never carries their hash.
create table credential (
    person_id        uuid primary key references person (id) on delete cascade,
    password_hash    text not null,
    failed_attempts  int not null default 0,
    locked_until     timestamptz,
    updated_at       timestamptz not null default now()
);
