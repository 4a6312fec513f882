-- A company's own applications, their recent sign-ins, the console's "Try it" (issue 16, console).
-- An application a company registers in its console is a registered client like the operator's, whose client settings
-- name the company ("settings.client.rollcall.company"; absent on the platform's applications, which serve every
-- company). The console lists a company's applications by it: an index on that setting as SQL reads it.
CREATE INDEX oauth2_registered_client_company
    ON oauth2_registered_client (((cast(client_settings as jsonb) ->> 'settings.client.rollcall.company')));

-- Who signed in to which application at which company, when, and how they had signed in to Rollcall (password or
-- sso): a row each time the authorization server issues a code for a new authorization. The person by id only (their
-- name and e-mail are read from the directory when shown); never a token or a code. Kept: the newest 50 per
-- application and company (ApplicationSignIns deletes older ones as it adds one); gone with the application or company.
CREATE TABLE application_sign_in (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id uuid NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    registered_client_id varchar(100) NOT NULL REFERENCES oauth2_registered_client (id) ON DELETE CASCADE,
    person_id uuid NOT NULL,
    signed_in_with text NOT NULL,
    signed_in_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_sign_in_recent ON application_sign_in (company_id, registered_client_id, id DESC);
-- For the cascade when an application is deleted.
CREATE INDEX application_sign_in_client ON application_sign_in (registered_client_id);
