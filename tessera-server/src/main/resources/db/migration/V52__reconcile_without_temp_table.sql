-- Security fix: _tessera_datasets_reconcile() (V30) is SECURITY DEFINER and filled a temp table by an
-- unqualified name, which resolves to the *caller's* temp schema: a caller could create that table first,
-- with a trigger, and have the trigger run as the function's owner. The same work without any table the
-- caller can reach: every statement reads the catalog directly.
CREATE OR REPLACE FUNCTION cartodb._tessera_datasets_reconcile() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM cartodb._tessera_dataset_user(true);
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tessera.datasets:' || me.user_id::text));

    -- a rebuilt table: its old OID is gone, a table of the same name exists under a new one
    WITH t AS (SELECT c.oid, c.relname::text AS relname
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = me.schema_name AND c.relkind IN ('r', 'p') AND NOT c.relispartition)
    UPDATE tessera.datasets d SET table_oid = t.oid
      FROM t
     WHERE d.user_id = me.user_id AND t.relname = d.table_name AND t.oid <> d.table_oid
       AND NOT EXISTS (SELECT 1 FROM t o WHERE o.oid = d.table_oid);
    -- renamed through SQL
    WITH t AS (SELECT c.oid, c.relname::text AS relname
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = me.schema_name AND c.relkind IN ('r', 'p') AND NOT c.relispartition)
    UPDATE tessera.datasets d SET table_name = t.relname, updated_at = pg_catalog.clock_timestamp()
      FROM t
     WHERE d.user_id = me.user_id AND t.oid = d.table_oid AND t.relname <> d.table_name;
    -- dropped through SQL
    WITH t AS (SELECT c.oid
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = me.schema_name AND c.relkind IN ('r', 'p') AND NOT c.relispartition)
    DELETE FROM tessera.datasets d
     WHERE d.user_id = me.user_id AND NOT EXISTS (SELECT 1 FROM t WHERE t.oid = d.table_oid);
    -- created through SQL
    WITH t AS (SELECT c.oid, c.relname::text AS relname
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = me.schema_name AND c.relkind IN ('r', 'p') AND NOT c.relispartition)
    INSERT INTO tessera.datasets (id, table_id, map_id, user_id, table_name, table_oid, privacy)
    SELECT pg_catalog.gen_random_uuid(), pg_catalog.gen_random_uuid(), pg_catalog.gen_random_uuid(), me.user_id, t.relname, t.oid,
           CASE WHEN pg_catalog.has_table_privilege(me.public_role, t.oid, 'SELECT') THEN 'public' ELSE 'private' END
      FROM t
     WHERE NOT EXISTS (SELECT 1 FROM tessera.datasets d WHERE d.user_id = me.user_id AND d.table_oid = t.oid);
END
$$;
