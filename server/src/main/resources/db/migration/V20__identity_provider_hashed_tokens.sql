-- Codes, access tokens, refresh tokens and ID tokens are kept by their SHA-256 only (HashedTokenAuthorizations):
-- 'sha256:' and the digest in unpadded base64url. Those stored in clear before are hashed in place, so that the
-- tokens already handed out keep working, found by the digest of what the application presents.
CREATE FUNCTION pg_temp.token_digest(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL OR value LIKE 'sha256:%' THEN value
        ELSE 'sha256:' || translate(rtrim(encode(sha256(convert_to(value, 'UTF8')), 'base64'), '='), '+/', '-_') END
$$;
UPDATE oauth2_authorization SET
    authorization_code_value = pg_temp.token_digest(authorization_code_value),
    access_token_value = pg_temp.token_digest(access_token_value),
    oidc_id_token_value = pg_temp.token_digest(oidc_id_token_value),
    refresh_token_value = pg_temp.token_digest(refresh_token_value);

-- An application authenticating with private_key_jwt may give its public keys inline (a JWK Set in its client
-- settings): a few RSA keys outgrow the 2000 characters SAS's schema gives the settings.
ALTER TABLE oauth2_registered_client ALTER COLUMN client_settings TYPE text;
