-- The change feed (io.tessera.server.db.ChangeFeed): every server node LISTENs on one connection, and a cached
-- tile is served without a query of its own only while the node has heard of every change that could make it
-- wrong. Table data already notifies channel tessera_table_stamps (V10). This migration adds the rest:
--
--   * tessera_ddl: an event trigger on ddl_command_end and sql_drop notifies 'soft' or 'hard' for every DDL
--     command (temporary objects aside). 'soft': the command only touched tables and their parts (columns,
--     indexes, triggers, policies, constraints, defaults) or table GRANT/REVOKE; the tables it altered get their
--     change stamp moved, so a tile of them is redrawn, and what a tile depends on is re-proved on the drawing
--     role's connection before a cached tile is served again. 'hard': anything else (functions, types, views,
--     schemas, default privileges, extensions, rules ...): nothing drawn before it is served again.
--   * tessera_accounts / tessera_templates: any write of users, API keys or named-map templates, so cached keys
--     and templates are dropped on every node (a deleted key or a rotated template token is refused at once).
--   * cartodb._tessera_role_state(): a fingerprint of role memberships and role attributes, which no event trigger
--     reports (GRANT role TO role, ALTER ROLE, DROP ROLE). Each validation round reads it, and so does the stamps
--     query of a drawn tile; a tile is only served while both fingerprints agree.

-- PL/pgSQL, not SQL: a SQL function with a SET clause is planned again on every call; this one runs in every
-- validation round, so its plan is kept per session.
CREATE FUNCTION cartodb._tessera_role_state() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- count + sum of 64-bit hashes per catalog: the same rows give the same value whatever happened in between
    -- (state, not history). Reads only catalogs every role may read.
    RETURN concat_ws('/',
        (SELECT count(*) || ':' || coalesce(sum(hashint8extended((m.roleid::int8 << 32) | m.member::int8,
                                                                 m.admin_option::int)), 0)
           FROM pg_auth_members m),
        (SELECT count(*) || ':' || coalesce(sum(hashint8extended((r.oid::int8 << 4)
                    | (r.rolinherit::int << 3) | (r.rolsuper::int << 2) | (r.rolbypassrls::int << 1) | r.rolcanlogin::int,
                    0)), 0)
           FROM pg_roles r),
        (SELECT count(*) || ':' || coalesce(sum(hashtextextended(s.setconfig::text, (s.setdatabase::int8 << 32) | s.setrole::int8)), 0)
           FROM pg_db_role_setting s),
        (SELECT hashtextextended(coalesce(d.datacl::text, ''), 0) FROM pg_database d WHERE d.datname = current_database()));
END
$$;
GRANT EXECUTE ON FUNCTION cartodb._tessera_role_state() TO PUBLIC;


CREATE FUNCTION tessera._notify_accounts() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('tessera_accounts', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tessera._notify_accounts() FROM PUBLIC;
CREATE TRIGGER tessera_notify_users AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tessera.users
    FOR EACH STATEMENT EXECUTE FUNCTION tessera._notify_accounts();
CREATE TRIGGER tessera_notify_api_keys AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tessera.api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION tessera._notify_accounts();

CREATE FUNCTION tessera._notify_templates() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('tessera_templates', '');
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION tessera._notify_templates() FROM PUBLIC;
CREATE TRIGGER tessera_notify_templates AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tessera.map_templates
    FOR EACH STATEMENT EXECUTE FUNCTION tessera._notify_templates();


-- Moves the change stamp of a table a DDL command altered (only tables that have one: tracked tables).
-- SECURITY DEFINER (owned by tessera_definer, V56): the DDL may come from any role.
CREATE FUNCTION cartodb._tessera_ddl_stamp(tab oid) RETURNS void
    LANGUAGE sql VOLATILE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE cartodb.cdb_tablemetadata SET updated_at = pg_catalog.clock_timestamp() WHERE tabname = tab::pg_catalog.regclass
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_ddl_stamp(oid) FROM PUBLIC;
ALTER FUNCTION cartodb._tessera_ddl_stamp(oid) OWNER TO tessera_definer;

-- ddl_command_end: which table each command touched ('soft', and its stamp moves), else 'hard'. Never raises:
-- a mistake here must not block anyone's DDL, so anything unexpected counts as 'hard'.
CREATE FUNCTION cartodb._tessera_ddl_end() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    tab oid;
    hard boolean := false;
    commands int := 0;
    temporary int := 0;
BEGIN
    BEGIN
        FOR r IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands() LOOP
            commands := commands + 1;
            IF r.schema_name = 'pg_temp' OR r.schema_name LIKE 'pg\_temp\_%' THEN
                temporary := temporary + 1; -- seen by its own session only
                CONTINUE;
            END IF;
            tab := NULL;
            IF r.classid IS NULL AND r.command_tag IN ('GRANT', 'REVOKE') AND r.object_type = 'TABLE' THEN
                CONTINUE; -- table privileges: re-proved on the drawing role's connection before reuse
            ELSIF r.classid = 'pg_catalog.pg_class'::regclass THEN
                SELECT CASE WHEN c.relkind IN ('r', 'p', 'S', 't') THEN c.oid
                            WHEN c.relkind IN ('i', 'I') THEN (SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid)
                       END INTO tab
                  FROM pg_catalog.pg_class c WHERE c.oid = r.objid;
            ELSIF r.classid = 'pg_catalog.pg_policy'::regclass THEN
                SELECT p.polrelid INTO tab FROM pg_catalog.pg_policy p WHERE p.oid = r.objid;
            ELSIF r.classid = 'pg_catalog.pg_trigger'::regclass THEN
                SELECT t.tgrelid INTO tab FROM pg_catalog.pg_trigger t WHERE t.oid = r.objid;
            ELSIF r.classid = 'pg_catalog.pg_constraint'::regclass THEN
                SELECT NULLIF(c.conrelid, 0) INTO tab FROM pg_catalog.pg_constraint c WHERE c.oid = r.objid;
            ELSIF r.classid = 'pg_catalog.pg_attrdef'::regclass THEN
                SELECT a.adrelid INTO tab FROM pg_catalog.pg_attrdef a WHERE a.oid = r.objid;
            END IF;
            IF tab IS NULL THEN
                hard := true;
            ELSE
                PERFORM cartodb._tessera_ddl_stamp(tab);
            END IF;
        END LOOP;
    EXCEPTION WHEN OTHERS THEN
        hard := true;
    END;
    -- DROP commands list nothing here (sql_drop below says what went); they still count as soft DDL
    IF commands = 0 OR commands > temporary OR hard THEN
        PERFORM pg_catalog.pg_notify('tessera_ddl', CASE WHEN hard THEN 'hard' ELSE 'soft' END);
    END IF;
END
$$;

-- sql_drop: dropping tables or their parts is soft (the parent table's stamp moves); anything else is hard.
CREATE FUNCTION cartodb._tessera_ddl_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    hard boolean := false;
BEGIN
    BEGIN
        FOR r IN SELECT * FROM pg_catalog.pg_event_trigger_dropped_objects() LOOP
            IF r.is_temporary THEN
                CONTINUE;
            ELSIF r.object_type = 'table column' THEN
                PERFORM cartodb._tessera_ddl_stamp(r.objid);
            ELSIF r.object_type IN ('policy', 'trigger', 'table constraint', 'default value') THEN
                PERFORM cartodb._tessera_ddl_stamp(pg_catalog.to_regclass(pg_catalog.format('%I.%I',
                        r.address_names[1], r.address_names[2]))::oid);
            ELSIF r.object_type IN ('table', 'index', 'toast table', 'sequence')
                  OR (r.object_type = 'type' AND NOT r.original) THEN -- a dropped table's row types
                NULL;
            ELSE
                hard := true;
            END IF;
        END LOOP;
    EXCEPTION WHEN OTHERS THEN
        hard := true;
    END;
    IF hard THEN
        PERFORM pg_catalog.pg_notify('tessera_ddl', 'hard');
    END IF;
END
$$;

ALTER FUNCTION cartodb._tessera_ddl_end() OWNER TO tessera_definer;
ALTER FUNCTION cartodb._tessera_ddl_drop() OWNER TO tessera_definer;
REVOKE ALL ON FUNCTION cartodb._tessera_ddl_end() FROM PUBLIC;
REVOKE ALL ON FUNCTION cartodb._tessera_ddl_drop() FROM PUBLIC;

-- Event triggers need a superuser. On an external database migrated by a non-superuser there are none: the
-- change feed sees that (ChangeFeed checks pg_event_trigger in every round) and never serves a cached tile
-- without a query of its own. ENABLE ALWAYS: they fire whatever session_replication_role says.
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        CREATE EVENT TRIGGER tessera_ddl_end ON ddl_command_end EXECUTE FUNCTION cartodb._tessera_ddl_end();
        CREATE EVENT TRIGGER tessera_ddl_drop ON sql_drop EXECUTE FUNCTION cartodb._tessera_ddl_drop();
        ALTER EVENT TRIGGER tessera_ddl_end ENABLE ALWAYS;
        ALTER EVENT TRIGGER tessera_ddl_drop ENABLE ALWAYS;
    ELSE
        RAISE WARNING 'not a superuser: no DDL event triggers, so cached tiles always revalidate on the database';
    END IF;
END
$$;
