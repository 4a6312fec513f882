-- Sign-in sessions in the database (Spring Session JDBC), so that a person signed in on one node is signed in on
-- every node: the console, the single sign-on flow's saved authorization request, the OpenID Provider's authorize
-- request waiting for a sign-in. Spring Session's own PostgreSQL schema (spring-session-jdbc 4.1.0,
-- schema-postgresql.sql), under names of the module that owns them (sso; spring.session.jdbc.table-name).
-- Rows are small and short-lived: a session expires after ROLLCALL_SESSION_IDLE_TIMEOUT without a request, and
-- sso.SignInSessions deletes the expired ones (one task on the one scheduler, not a cron on each node).
create table sso_session (
    primary_id char(36) not null,
    session_id char(36) not null,
    creation_time bigint not null,
    last_access_time bigint not null,
    max_inactive_interval int not null,
    expiry_time bigint not null,
    -- The signed-in person's id (SignedInPerson.getName()): the index by which a leaving person's sessions end.
    principal_name varchar(100),
    constraint sso_session_pk primary key (primary_id)
);

create unique index sso_session_ix1 on sso_session (session_id);
create index sso_session_ix2 on sso_session (expiry_time);
create index sso_session_ix3 on sso_session (principal_name);

create table sso_session_attributes (
    session_primary_id char(36) not null,
    attribute_name varchar(200) not null,
    attribute_bytes bytea not null,
    constraint sso_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint sso_session_attributes_fk foreign key (session_primary_id) references sso_session (primary_id)
        on delete cascade
);
