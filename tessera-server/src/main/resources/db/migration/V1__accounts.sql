-- Tessera metadata: users and their API keys. Lives in schema tessera, which no user role may read.
CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;

REVOKE ALL ON SCHEMA tessera FROM PUBLIC;

-- Only roles granted CONNECT explicitly (the users' key roles) may log in to this database.
DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE TABLE tessera.users (
    id             uuid PRIMARY KEY,
    username       text NOT NULL UNIQUE,
    email          text,
    schema_name    text NOT NULL UNIQUE,
    owner_role     text NOT NULL UNIQUE,
    public_role    text NOT NULL UNIQUE,
    sql_timeout_ms integer CHECK (sql_timeout_ms IS NULL OR sql_timeout_ms > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Every API key maps to its own PostgreSQL login role. The default_public token is the same text for
-- every user, so a key is identified by (user, token).
CREATE TABLE tessera.api_keys (
    user_id    uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    token      text NOT NULL,
    name       text NOT NULL,
    type       text NOT NULL CHECK (type IN ('master', 'default', 'regular')),
    db_role    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, token),
    UNIQUE (user_id, name)
);
CREATE INDEX api_keys_db_role ON tessera.api_keys (db_role);

-- Compatibility functions (CDB_*) live in schema cartodb, on every user role's search_path.
CREATE SCHEMA IF NOT EXISTS cartodb;
GRANT USAGE ON SCHEMA cartodb TO PUBLIC;

-- Who is calling: the user and key type behind session_user (which user SQL cannot change).
-- SECURITY DEFINER so user roles can read their own row without access to schema tessera.
CREATE FUNCTION cartodb._tessera_caller(
    OUT username text, OUT schema_name text, OUT owner_role text, OUT public_role text, OUT key_type text)
    RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u.username, u.schema_name, u.owner_role, u.public_role, k.type
      FROM tessera.api_keys k JOIN tessera.users u ON u.id = k.user_id
     WHERE k.db_role = session_user::text
     LIMIT 1
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_caller() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_caller() TO PUBLIC;
