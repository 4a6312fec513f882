-- An authorization row is rewritten whole on every token request (Spring Authorization Server's store). Rows of a
-- little over 2 kB, the usual size with Rollcall's compact columns (AuthorizationColumns), were compressed by
-- PostgreSQL on each of those writes and decompressed on each read: only rows over 4 kB (a large rollcall claim) are
-- compressed now. The space this costs is small: authorizations are deleted once their tokens expire.
ALTER TABLE oauth2_authorization SET (toast_tuple_target = 4080);
