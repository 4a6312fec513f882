-- A refresh token replaced by rotation is kept as replaced (by its SHA-256, with its authorization) by the very UPDATE
-- that replaces it: a refresh is one statement in autocommit, where it was a transaction of two (the replaced token
-- kept, then the authorization saved) and its COMMIT. It also holds for any other writer of the column.
-- The stored value is 'sha256:' and the unpadded base64url of the hash (identityprovider.HashedTokenAuthorizations).
CREATE FUNCTION oauth2_keep_replaced_refresh_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO oauth2_rotated_refresh_token (token_hash, authorization_id)
    VALUES (decode(translate(substr(OLD.refresh_token_value, 8), '-_', '+/') || '=', 'base64'), OLD.id)
    ON CONFLICT (token_hash) DO NOTHING;
    RETURN NEW;
END
$$;

CREATE TRIGGER oauth2_authorization_refresh_token_replaced
    BEFORE UPDATE OF refresh_token_value ON oauth2_authorization
    FOR EACH ROW
    WHEN (OLD.refresh_token_value LIKE 'sha256:%' AND NEW.refresh_token_value IS DISTINCT FROM OLD.refresh_token_value)
    EXECUTE FUNCTION oauth2_keep_replaced_refresh_token();
