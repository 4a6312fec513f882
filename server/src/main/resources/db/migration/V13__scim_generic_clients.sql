-- A SCIM DELETE that only deactivates (delete_mode 'deactivate') keeps the person but hides the User from SCIM:
-- RFC 7644 3.6 wants 404 for every later operation on it. A later POST of the same user clears the mark.
alter table scim_user add column deleted_at timestamptz;
-- The deleted users a POST may bring back are looked up per company; there are few of them.
create index scim_user_deleted on scim_user (company_id) where deleted_at is not null;
