-- A large run's plan and history grow by the hundred thousand while it applies, and autovacuum (every 5 s here)
-- analyzes them again and again as they grow: three or four times each in a 100,000-person CSV sync. Half of each
-- analyze was their jsonb column: every sampled value read whole and sorted for its most common values and histogram.
-- No statement filters, joins or sorts on these columns (they are written, then read back by key), so no plan uses
-- their statistics; the other columns keep theirs. An analyze of the plan 0.27-0.31 -> 0.16-0.17 CPU-s, of the history
-- 0.21-0.24 -> 0.11-0.13 (bench/RESULTS.md, twenty-third session). The events' columns are json, whose analyze only
-- measures widths: nothing to gain there.
alter table sync_plan_item alter column changes set statistics 0;
alter table audit_entry alter column changes set statistics 0;
