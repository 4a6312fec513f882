-- Photos leave the sync runs: a run names each person's photo as last stored and queues the people it has never
-- looked at; a paced background pass (EntraPhotoPass) fetches them, and re-checks every photo when due_at comes.
-- checked_at is null until the pass has looked once.
alter table entra_photo alter column checked_at drop not null;
alter table entra_photo add column due_at timestamptz;
update entra_photo set due_at = checked_at + interval '12 hours';
alter table entra_photo alter column due_at set not null;
create index entra_photo_due on entra_photo (company_id, due_at);
create index entra_photo_unchecked on entra_photo (company_id) where checked_at is null;
