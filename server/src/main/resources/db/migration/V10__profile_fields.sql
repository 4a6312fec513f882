-- Profile fields the seeds name that Rollcall did not keep: the full name a source gives (shown instead of given +
-- family name), a secondary e-mail, the sign-in name (a SCIM userName that need not be an e-mail; single sign-on
-- finds a person by it as by their e-mail) and the person's own time zone (null: the company's default).
alter table person add column full_name text;
alter table person add column secondary_email text;
alter table person add column sign_in_name text;
alter table person add column time_zone text;
-- A sign-in name names one person of a company, whatever its case, like an e-mail.
create unique index person_sign_in_name on person (company_id, lower(sign_in_name)) where sign_in_name is not null;
