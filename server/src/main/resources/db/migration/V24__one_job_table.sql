-- One db-scheduler for every module (platform.JobScheduler), in one table: V2's scheduled_tasks, which already holds
-- the sync runs. The tables of one module each existed because a scheduler that meets a task it does not know warns
-- and deletes it after 14 days; the one scheduler knows every task.

-- What the other tables hold moves as it is: when each task is next due, and a task a node is running stays picked by
-- it, so that once that node's heartbeat is stale the one scheduler runs it again instead of losing it. A task name
-- is the same in every table it could come from, so a clash fails this migration rather than drop a row.
-- Left behind on purpose: 'entra-notifications' and 'okta-events', tasks no release schedules any more (their work is
-- EntraChanges' and OktaEvents' workers'), which each start of the last release deleted.
insert into scheduled_tasks
select * from entra_scheduled_tasks where task_name <> 'entra-notifications'
union all
select * from okta_scheduled_tasks where task_name <> 'okta-events'
union all
select * from event_scheduled_tasks
union all
select * from identity_provider_scheduled_tasks;

drop table entra_scheduled_tasks;
drop table okta_scheduled_tasks;
drop table event_scheduled_tasks;
drop table identity_provider_scheduled_tasks;

-- The one scheduler picks by priority, a sync run before any other task when both are due: a row written before has
-- the priority the one scheduler would give it (SyncJobs.PRIORITY for a run, db-scheduler's HIGH for a recurring task).
update scheduled_tasks set priority = case task_name when 'sync-run' then 100 else 90 end where priority is null;
