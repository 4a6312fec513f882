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

