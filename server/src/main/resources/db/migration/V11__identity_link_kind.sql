-- How each identity was linked: by a sync (the source provisions the person and may deactivate them when it no longer
-- lists them) or by a sign-in alone (the source only vouches for who signs in; its syncs never remove the person, and
-- adopt them by this same identity once they list them).
alter table person_identity add column linked_by text not null default 'sync'
    check (linked_by in ('sync', 'sign-in'));

-- Existing links: every link a sync made stays 'sync'. Sign-in links can be told apart by the audit trail: only a
-- sign-in records 'identity_linked' (a sync records 'created' or 'linked'). Of those, a link a run of the same source
-- has touched since (an audit entry by the run's actor on that person) is the source's provisioning at work: kept
-- 'sync', so that the person still leaves with the source. The others become 'sign-in'. One of them the source does
-- provision, unchanged since the sign-in, is adopted again by the next run that lists them; a departure seen before
-- that run leaves them active (fail safe: a source never deactivates someone it cannot show it provisioned).
update person_identity i set linked_by = 'sign-in'
where exists (
        select 1 from audit_entry a
        where a.company_id = i.company_id and a.subject_id = i.person_id and a.action = 'identity_linked'
          and a.changes -> ('externalIds.' || i.source) ->> 'to' = i.external_id)
  and not exists (
        select 1 from audit_entry a join sync_run r on r.id::text = a.actor_id
        where a.company_id = i.company_id and a.subject_id = i.person_id and a.actor_type = 'source'
          and r.source = i.source);

