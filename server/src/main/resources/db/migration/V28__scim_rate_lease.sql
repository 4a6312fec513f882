-- The per-company SCIM rate limit, shared by every node: each node leases chunks of a company's budget for one second
-- (by the database's clock), and a row says how much of that second's budget is taken. granted is what the last
-- lease got, so that the lease's one statement can return it. Rows a minute old are deleted by ScimRateLeases.
-- Unlogged: a crash empties it, which loses at most a second's count, and its many small updates write no WAL. No
-- foreign key: nothing to check on the hot path, and a deleted company's rows go within the minute.
CREATE UNLOGGED TABLE scim_rate_lease (
    company_id uuid NOT NULL,
    epoch_second bigint NOT NULL,
    taken int NOT NULL,
    granted int NOT NULL,
    PRIMARY KEY (company_id, epoch_second)
);
