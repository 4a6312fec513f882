-- Back-channel logouts are never given up silently: one that still fails after the back-off (three days) stays,
-- 'failed', with its last attempt's outcome, for the operator to see and retry; failed rows are deleted 30 days after
-- they failed. tried_since starts the three days (again, when the operator retries).
ALTER TABLE backchannel_logout
    ADD COLUMN status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed')),
    ADD COLUMN tried_since timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_attempt_at timestamptz,
    ADD COLUMN last_http_status int,
    ADD COLUMN last_latency_ms int,
    ADD COLUMN last_answer varchar(1100),
    ADD COLUMN failed_at timestamptz;

DROP INDEX backchannel_logout_due;
CREATE INDEX backchannel_logout_due ON backchannel_logout (next_attempt_at) WHERE status = 'pending';
CREATE INDEX backchannel_logout_of_application ON backchannel_logout (registered_client_id, status, id);
CREATE INDEX backchannel_logout_failed_at ON backchannel_logout (failed_at) WHERE status = 'failed';

-- AuthorizationRetention's hourly scan for authorizations whose every token expired, by the same expression.
CREATE INDEX oauth2_authorization_expires_at ON oauth2_authorization ((greatest(authorization_code_expires_at,
    access_token_expires_at, oidc_id_token_expires_at, refresh_token_expires_at)));
