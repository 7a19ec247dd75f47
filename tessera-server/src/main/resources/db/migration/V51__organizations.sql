-- Organizations (CARTO's EUMAPI, /api/v1/organization/:org/users): a named group of users with an owner and
-- admins. An org admin's master key manages the org's users over HTTP; `tessera orgs`/`tessera users` do it
-- from the command line.
CREATE TABLE tessera.organizations (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    owner_id   uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE tessera.users
    ADD COLUMN organization_id uuid REFERENCES tessera.organizations (id) ON DELETE SET NULL,
    ADD COLUMN org_admin       boolean NOT NULL DEFAULT false;
