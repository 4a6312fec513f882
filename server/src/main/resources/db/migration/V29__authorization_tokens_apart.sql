-- What a token request changes, apart from what it does not (issue 16: the token endpoint's PostgreSQL half).
-- Spring Authorization Server's store rewrote the whole authorization row (1.3 kB: the authorization request, the
-- principal, the code) on every token request, with an entry in each of its five indexes, and the refresh-token
-- index made every one of those updates a new row version elsewhere in the table (never HOT). Now:
-- - oauth2_authorization keeps what is written once, when the code is issued, and is not written again;
-- - oauth2_authorization_token holds the tokens a token request replaces, one row per authorization, with no index a
--   token request changes (retain_until moves once an hour at most), so that its update stays on its page (HOT, the
--   room left by the fill factor) and writes no index entry;
-- - oauth2_refresh_token lists every refresh token issued until it expires, by its stored digest: the current one of
--   its authorization is found by it, and one that is not current any more was replaced by rotation, so presented
--   again it is reuse. It takes over from oauth2_rotated_refresh_token and its trigger (V18, V26).
-- The tokens' values are digests ('sha256:…', identityprovider.HashedTokenAuthorizations), as before.
CREATE TABLE oauth2_authorization_token (
    authorization_id varchar(100) PRIMARY KEY REFERENCES oauth2_authorization (id) ON DELETE CASCADE,
    -- When every token of the authorization will have expired, rounded up to the hour, for AuthorizationRetention:
    -- indexed, so it changes rarely (an index entry on every update would end HOT updates).
    retain_until timestamptz NOT NULL,
    authorization_code_metadata text,
    access_token_value text,
    access_token_issued_at timestamptz,
    access_token_expires_at timestamptz,
    access_token_metadata text,
    access_token_type varchar(100),
    access_token_scopes varchar(1000),
    oidc_id_token_value text,
    oidc_id_token_issued_at timestamptz,
    oidc_id_token_expires_at timestamptz,
    oidc_id_token_metadata text,
    refresh_token_value text,
    refresh_token_issued_at timestamptz,
    refresh_token_expires_at timestamptz,
    refresh_token_metadata text
) WITH (fillfactor = 50, toast_tuple_target = 4080);
CREATE INDEX oauth2_authorization_token_retain_until ON oauth2_authorization_token (retain_until);

-- No foreign key: its check would lock the token row and write WAL on every token request. A refresh token counts
-- only with its authorization's token row (every lookup joins it), so rows of a deleted authorization are inert; they
-- and replaced tokens go once expired (AuthorizationRetention), when presenting them is refused as expired anyway.
-- Listed in the order issued, so a BRIN index finds the expired ones for almost nothing on each insert.
CREATE TABLE oauth2_refresh_token (
    token_value text PRIMARY KEY,
    authorization_id varchar(100) NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX oauth2_refresh_token_expires_at ON oauth2_refresh_token USING brin (expires_at);

INSERT INTO oauth2_authorization_token
SELECT id,
    to_timestamp(ceil(extract(epoch FROM coalesce(greatest(authorization_code_expires_at, access_token_expires_at,
        oidc_id_token_expires_at, refresh_token_expires_at), now())) / 3600) * 3600),
    authorization_code_metadata,
    access_token_value, access_token_issued_at, access_token_expires_at, access_token_metadata, access_token_type,
    access_token_scopes,
    oidc_id_token_value, oidc_id_token_issued_at, oidc_id_token_expires_at, oidc_id_token_metadata,
    refresh_token_value, refresh_token_issued_at, refresh_token_expires_at, refresh_token_metadata
FROM oauth2_authorization;

INSERT INTO oauth2_refresh_token (token_value, authorization_id, expires_at)
SELECT refresh_token_value, id, coalesce(refresh_token_expires_at, now())
FROM oauth2_authorization WHERE refresh_token_value IS NOT NULL
ON CONFLICT (token_value) DO NOTHING;
-- A replaced token expired no later than the one that replaced it.
INSERT INTO oauth2_refresh_token (token_value, authorization_id, expires_at)
SELECT 'sha256:' || translate(rtrim(encode(r.token_hash, 'base64'), '='), '+/', '-_'), r.authorization_id,
    coalesce(a.refresh_token_expires_at, now())
FROM oauth2_rotated_refresh_token r JOIN oauth2_authorization a ON a.id = r.authorization_id
ON CONFLICT (token_value) DO NOTHING;

DROP TRIGGER oauth2_authorization_refresh_token_replaced ON oauth2_authorization;
DROP FUNCTION oauth2_keep_replaced_refresh_token();
DROP TABLE oauth2_rotated_refresh_token;
DROP INDEX oauth2_authorization_expires_at;
-- Codes are digests since V20 (50 characters), short enough for a btree: unique, the planner knows a code finds one
-- row whatever its value, and keeps one plan for the lookup where, with the hash index, the server planned it anew on
-- nearly every token request (pg_stat_statements: 36,116 plans for 38,000 lookups, 137-306 µs each under load).
DROP INDEX oauth2_authorization_code;
CREATE UNIQUE INDEX oauth2_authorization_code ON oauth2_authorization (authorization_code_value);
ALTER TABLE oauth2_authorization
    DROP COLUMN authorization_code_metadata,
    DROP COLUMN access_token_value,
    DROP COLUMN access_token_issued_at,
    DROP COLUMN access_token_expires_at,
    DROP COLUMN access_token_metadata,
    DROP COLUMN access_token_type,
    DROP COLUMN access_token_scopes,
    DROP COLUMN oidc_id_token_value,
    DROP COLUMN oidc_id_token_issued_at,
    DROP COLUMN oidc_id_token_expires_at,
    DROP COLUMN oidc_id_token_metadata,
    DROP COLUMN refresh_token_value,
    DROP COLUMN refresh_token_issued_at,
    DROP COLUMN refresh_token_expires_at,
    DROP COLUMN refresh_token_metadata;
