-- Lighter writes of Spring Authorization Server's authorization rows, each rewritten whole on every token request.

-- An authorization row is rewritten whole on every token request (Spring Authorization Server's store). Rows of a
-- little over 2 kB, the usual size with Rollcall's compact columns (AuthorizationColumns), were compressed by
-- PostgreSQL on each of those writes and decompressed on each read: only rows over 4 kB (a large rollcall claim) are
-- compressed now. The space this costs is small: authorizations are deleted once their tokens expire.
ALTER TABLE oauth2_authorization SET (toast_tuple_target = 4080);

-- Access and ID tokens are found among the authorizations of their subject (the principal-name index), not by an
-- index of their own: a token request replaces both, and every index is one more write on every token request.
DROP INDEX oauth2_authorization_access_token;
DROP INDEX oauth2_authorization_id_token;
