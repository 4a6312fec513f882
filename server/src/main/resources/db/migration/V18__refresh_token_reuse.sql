-- Refresh tokens replaced by rotation, by their SHA-256: one presented again means it was copied, and the whole
-- authorization (every token issued from that sign-in) is revoked. Gone with the authorization.
CREATE TABLE oauth2_rotated_refresh_token (
    token_hash bytea PRIMARY KEY,
    authorization_id varchar(100) NOT NULL REFERENCES oauth2_authorization (id) ON DELETE CASCADE,
    rotated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth2_rotated_refresh_token_authorization ON oauth2_rotated_refresh_token (authorization_id);
