-- Each signing key is for one JWS algorithm: RS256 (ID tokens by default, logout tokens) or ES256 (access tokens,
-- and ID tokens of applications that ask for it). Keys made before this were all RSA.
ALTER TABLE signing_key ADD COLUMN algorithm text NOT NULL DEFAULT 'RS256';
CREATE INDEX signing_key_current ON signing_key (algorithm, created_at DESC) WHERE retired_at IS NULL;
