-- Refresh tokens replaced by rotation, by their SHA-256: one presented again means it was copied, and the whole
-- authorization (every token issued from that sign-in) is revoked. Gone with the authorization.
CREATE TABLE oauth2_rotated_refresh_token (
    token_hash bytea PRIMARY KEY,
    authorization_id varchar(100) NOT NULL REFERENCES oauth2_authorization (id) ON DELETE CASCADE,
    rotated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth2_rotated_refresh_token_authorization ON oauth2_rotated_refresh_token (authorization_id);

-- Applications to tell, by OpenID Connect Back-Channel Logout, that a person left (deactivated or deleted): one row
-- per application that held tokens for them, written in the transaction that ended the person's access, sent by
-- BackChannelLogouts until the application answers 2xx or the attempts run out.
CREATE TABLE backchannel_logout (
    id bigserial PRIMARY KEY,
    company_id uuid NOT NULL,
    person_id uuid NOT NULL,
    registered_client_id varchar(100) NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backchannel_logout_due ON backchannel_logout (next_attempt_at);

-- db-scheduler's table for AuthorizationRetention (expired authorizations deleted hourly, by one node at a time).
CREATE TABLE identity_provider_scheduled_tasks (
    task_name             text NOT NULL,
    task_instance         text NOT NULL,
    task_data             bytea,
    execution_time        timestamptz NOT NULL,
    picked                boolean NOT NULL,
    picked_by             text,
    last_success          timestamptz,
    last_failure          timestamptz,
    consecutive_failures  int,
    last_heartbeat        timestamptz,
    version               bigint NOT NULL,
    priority              smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX identity_provider_scheduled_tasks_execution_time ON identity_provider_scheduled_tasks (execution_time);
CREATE INDEX identity_provider_scheduled_tasks_last_heartbeat ON identity_provider_scheduled_tasks (last_heartbeat);
CREATE INDEX identity_provider_scheduled_tasks_priority ON identity_provider_scheduled_tasks (priority DESC, execution_time ASC);
