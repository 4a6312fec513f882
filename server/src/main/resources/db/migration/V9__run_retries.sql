-- A failed run is retried with back-off until it succeeds (a change counts as handled only when a run that includes
-- it has succeeded): between attempts it waits as 'retrying', still the company's active run of its source. A new
-- full run may replace a run that waits to retry ('superseded'): it covers everything the old one would have done.
alter table sync_run drop constraint sync_run_status_check;
alter table sync_run add constraint sync_run_status_check check (status in ('queued', 'planning', 'held', 'applying',
    'retrying', 'succeeded', 'failed', 'previewed', 'discarded', 'superseded'));
alter table sync_run add column attempts int not null default 0;        -- failed attempts so far
alter table sync_run add column next_attempt_at timestamptz;            -- while retrying: when it is tried again
alter table sync_run add column failing_since timestamptz;              -- the first failure not yet followed by a success
alter table sync_run add column resume_apply boolean not null default false; -- the plan was made (and maybe approved): go on applying it

drop index sync_run_one_active;
create unique index sync_run_one_active on sync_run (company_id, source)
    where status in ('queued', 'planning', 'held', 'applying', 'retrying');
