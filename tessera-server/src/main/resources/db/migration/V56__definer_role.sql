-- SECURITY DEFINER functions run with their owner's rights. Owned by the migrating administrator (the
-- cluster superuser when embedded), a flaw in one of them would hand out everything; owned by this role,
-- they can reach Tessera's own metadata and nothing more: no superuser, no login, no other schema's data.
-- A later migration that creates a new SECURITY DEFINER function must hand it to this role too (CREATE OR
-- REPLACE keeps the existing owner).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'tessera_definer') THEN
        CREATE ROLE tessera_definer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA tessera, cartodb TO tessera_definer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tessera TO tessera_definer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA tessera TO tessera_definer;
GRANT SELECT, INSERT, UPDATE, DELETE ON cartodb.cdb_tablemetadata TO tessera_definer;

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'cartodb' AND p.prosecdef
    LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s OWNER TO tessera_definer', f);
    END LOOP;
END
$$;
