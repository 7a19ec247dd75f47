-- Datasets (CARTO's user tables + their canonical "table" visualizations): one row per table of a user's
-- schema. The registry follows the schema (reconciled on read: tables made or dropped through SQL appear
-- and disappear), privacy is enforced by GRANTs to the user's public role, which the server changes in the
-- same transaction as the row. User roles never touch tessera.* directly: the SECURITY DEFINER functions
-- below decide who the caller is from session_user (the login role of the API key) and only ever read or
-- write that user's rows.

CREATE TABLE tessera.datasets (
    id           uuid PRIMARY KEY,                 -- the visualization id (/api/v1/viz/:id)
    table_id     uuid NOT NULL UNIQUE,             -- the user table id (/api/v1/tables/:id)
    map_id       uuid NOT NULL,
    user_id      uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    table_name   text NOT NULL,
    table_oid    oid NOT NULL,
    privacy      text NOT NULL DEFAULT 'private' CHECK (privacy IN ('private', 'public', 'link')),
    display_name text,
    description  text,
    tags         text[] NOT NULL DEFAULT '{}',
    source       text,
    title        text,
    license      text,
    attributions text,
    locked       boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- deferrable: a reconcile after two tables swapped names passes through a duplicate
    CONSTRAINT datasets_user_table UNIQUE (user_id, table_name) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX datasets_user_oid ON tessera.datasets (user_id, table_oid);

-- The caller's user, from the key's login role; owner = only the user's owner (master) role qualifies.
CREATE FUNCTION cartodb._tessera_dataset_user(owner boolean,
    OUT user_id uuid, OUT schema_name text, OUT public_role text, OUT is_owner boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    SELECT u.id, u.schema_name, u.public_role, (u.owner_role = session_user::text)
      INTO user_id, schema_name, public_role, is_owner
      FROM tessera.api_keys k JOIN tessera.users u ON u.id = k.user_id
     WHERE k.db_role = session_user::text
     LIMIT 1;
    IF user_id IS NULL OR (owner AND NOT is_owner) THEN
        RAISE EXCEPTION 'permission denied: only the owner of these datasets may do this'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_dataset_user(boolean) FROM PUBLIC;

-- Brings the caller's registry in line with its schema: renamed tables keep their row (same OID), a table
-- rebuilt under the same name (CDB_CartodbfyTable may do that) keeps its row, dropped tables lose theirs,
-- new tables get one (PUBLIC if the public role can already read them, else PRIVATE).
CREATE FUNCTION cartodb._tessera_datasets_reconcile() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM cartodb._tessera_dataset_user(true);
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tessera.datasets:' || me.user_id::text));

    CREATE TEMP TABLE IF NOT EXISTS _tessera_user_tables (oid oid, relname text) ON COMMIT DROP;
    TRUNCATE _tessera_user_tables;
    INSERT INTO _tessera_user_tables
    SELECT c.oid, c.relname::text
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = me.schema_name AND c.relkind IN ('r', 'p') AND NOT c.relispartition;

    -- a rebuilt table: its old OID is gone, a table of the same name exists under a new one
    UPDATE tessera.datasets d SET table_oid = t.oid
      FROM _tessera_user_tables t
     WHERE d.user_id = me.user_id AND t.relname = d.table_name AND t.oid <> d.table_oid
       AND NOT EXISTS (SELECT 1 FROM _tessera_user_tables o WHERE o.oid = d.table_oid);
    -- renamed through SQL
    UPDATE tessera.datasets d SET table_name = t.relname, updated_at = pg_catalog.clock_timestamp()
      FROM _tessera_user_tables t
     WHERE d.user_id = me.user_id AND t.oid = d.table_oid AND t.relname <> d.table_name;
    -- dropped through SQL
    DELETE FROM tessera.datasets d
     WHERE d.user_id = me.user_id AND NOT EXISTS (SELECT 1 FROM _tessera_user_tables t WHERE t.oid = d.table_oid);
    -- created through SQL
    INSERT INTO tessera.datasets (id, table_id, map_id, user_id, table_name, table_oid, privacy)
    SELECT pg_catalog.gen_random_uuid(), pg_catalog.gen_random_uuid(), pg_catalog.gen_random_uuid(), me.user_id, t.relname, t.oid,
           CASE WHEN pg_catalog.has_table_privilege(me.public_role, t.oid, 'SELECT') THEN 'public' ELSE 'private' END
      FROM _tessera_user_tables t
     WHERE NOT EXISTS (SELECT 1 FROM tessera.datasets d WHERE d.user_id = me.user_id AND d.table_oid = t.oid);
END
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_datasets_reconcile() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_datasets_reconcile() TO PUBLIC;

-- The caller's datasets: all of them for the owner, the PUBLIC and LINK ones for any other key of the
-- user. updated_at is the later of the row's own stamp and the table's change stamp (track_updates).
CREATE FUNCTION cartodb._tessera_datasets()
    RETURNS TABLE (id uuid, table_id uuid, map_id uuid, table_name text, table_oid oid, privacy text,
                   display_name text, description text, tags text[], source text, title text, license text,
                   attributions text, locked boolean, created_at timestamptz, updated_at timestamptz,
                   schema_name text, size bigint, estimated_rows bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT d.id, d.table_id, d.map_id, d.table_name, d.table_oid, d.privacy, d.display_name, d.description,
           d.tags, d.source, d.title, d.license, d.attributions, d.locked, d.created_at,
           GREATEST(d.updated_at, m.updated_at), me.schema_name,
           pg_catalog.pg_total_relation_size(d.table_oid),
           GREATEST(c.reltuples, 0)::bigint
      FROM cartodb._tessera_dataset_user(false) me
      JOIN tessera.datasets d ON d.user_id = me.user_id
      JOIN pg_catalog.pg_class c ON c.oid = d.table_oid
      LEFT JOIN cartodb.cdb_tablemetadata m ON m.tabname = d.table_oid::regclass
     WHERE me.is_owner OR d.privacy IN ('public', 'link')
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_datasets() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_datasets() TO PUBLIC;

-- Registers a table the caller owns as a dataset (imports publish with this, in their own transaction),
-- or returns the existing row's ids. Privacy GRANTs are the caller's business, in the same transaction.
CREATE FUNCTION cartodb._tessera_dataset_register(tab regclass, new_privacy text,
    OUT id uuid, OUT table_id uuid)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    me record;
    rel record;
BEGIN
    SELECT * INTO me FROM cartodb._tessera_dataset_user(true);
    SELECT c.oid, c.relname::text AS relname INTO rel
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tab AND n.nspname = me.schema_name;
    IF rel.oid IS NULL THEN
        RAISE EXCEPTION 'permission denied: not a table of the caller''s schema' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('tessera.datasets:' || me.user_id::text));
    -- a table replaced under the same name (collision_strategy=overwrite) keeps its dataset ids
    UPDATE tessera.datasets d SET table_oid = rel.oid, privacy = new_privacy, updated_at = pg_catalog.clock_timestamp()
     WHERE d.user_id = me.user_id AND d.table_name = rel.relname
     RETURNING d.id, d.table_id INTO id, table_id;
    IF id IS NULL THEN
        UPDATE tessera.datasets d SET table_name = rel.relname, privacy = new_privacy, updated_at = pg_catalog.clock_timestamp()
         WHERE d.user_id = me.user_id AND d.table_oid = rel.oid
         RETURNING d.id, d.table_id INTO id, table_id;
    END IF;
    DELETE FROM tessera.datasets d WHERE d.user_id = me.user_id AND d.table_oid = rel.oid AND d.id <> id;
    IF id IS NULL THEN
        INSERT INTO tessera.datasets (id, table_id, map_id, user_id, table_name, table_oid, privacy)
        VALUES (pg_catalog.gen_random_uuid(), pg_catalog.gen_random_uuid(), pg_catalog.gen_random_uuid(), me.user_id,
                rel.relname, rel.oid, new_privacy)
        RETURNING tessera.datasets.id, tessera.datasets.table_id INTO id, table_id;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_dataset_register(regclass, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_dataset_register(regclass, text) TO PUBLIC;

-- Saves the editable fields of one of the caller's datasets (PUT /api/v1/viz/:id). The table rename and
-- the GRANTs happen before, on the same connection and transaction.
CREATE FUNCTION cartodb._tessera_dataset_save(ds uuid, new_name text, new_privacy text, new_display_name text,
    new_description text, new_tags text[], new_source text, new_title text, new_license text,
    new_attributions text, new_locked boolean) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM cartodb._tessera_dataset_user(true);
    UPDATE tessera.datasets d
       SET table_name = new_name, privacy = new_privacy, display_name = new_display_name,
           description = new_description, tags = coalesce(new_tags, '{}'), source = new_source, title = new_title,
           license = new_license, attributions = new_attributions, locked = coalesce(new_locked, false),
           updated_at = pg_catalog.clock_timestamp()
     WHERE d.id = ds AND d.user_id = me.user_id;
END
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_dataset_save(uuid, text, text, text, text, text[], text, text, text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_dataset_save(uuid, text, text, text, text, text[], text, text, text, text, boolean) TO PUBLIC;

-- Forgets one of the caller's datasets (its table was dropped in the same transaction).
CREATE FUNCTION cartodb._tessera_dataset_forget(ds uuid) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM cartodb._tessera_dataset_user(true);
    DELETE FROM tessera.datasets d WHERE d.id = ds AND d.user_id = me.user_id;
END
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_dataset_forget(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_dataset_forget(uuid) TO PUBLIC;
