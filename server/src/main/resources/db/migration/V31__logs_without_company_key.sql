-- Events, history entries and identities are written by the hundred thousand in a first sync, and each row's check of
-- its company's foreign key is a query that locks the company's row (FOR KEY SHARE; with two chunks applied at once,
-- both hold it). With every foreign key check off, a 100,000-person sync's statements took 20.7 s of PostgreSQL's time
-- against 30.0 s (bench/RESULTS.md, eighteenth session); these three are 510,000 of its ~810,000 checks.
--
-- These three keep no key to company: events and history are append-only logs that retention deletes by age, and an
-- identity goes with its person (its key to person stays, with its cascade). Rollcall never deletes a company; what
-- would delete one must delete its events, history and identities itself. Every writer takes the company from the
-- request's or run's company, which exists.
alter table domain_event drop constraint domain_event_company_id_fkey;
alter table audit_entry drop constraint audit_entry_company_id_fkey;
alter table person_identity drop constraint person_identity_company_id_fkey;
