-- A company's single sign-on with OpenID Connect: one provider per company.
create table sso_settings (
    company_id               uuid primary key references company (id) on delete cascade,
    provider                 text not null check (provider in ('entra', 'okta', 'oidc')),
    -- entra: the tenant id (sealed, like every tenant id); okta/oidc: null
    tenant_id_sealed         text,
    -- entra: the authority, default https://login.microsoftonline.com; okta: https://{domain}[/oauth2/{id}];
    -- oidc: the issuer whose /.well-known/openid-configuration describes the provider
    authority                text not null,
    client_id                text not null,
    client_secret_sealed     text,
    button_label             text not null,
    allow_password           boolean not null default true,
    create_on_first_sign_in  boolean not null default false,
    enabled                  boolean not null default true,
    version                  int not null default 1,
    updated_at               timestamptz not null default now()
);
