-- CARTO's compatibility functions (the CDB_* API of cartodb-postgresql), written for Tessera from their
-- documented behaviour (reference/sql-api.md §7); the code is our own.
--
-- Where Tessera differs from CARTO, on purpose:
--   * a client's 'public' schema means the caller's own schema (decisions.md, the `public` row);
--   * no quota triggers and no Varnish invalidation: Tessera reads cdb_tablemetadata itself;
--   * SECURITY DEFINER functions pin search_path = pg_catalog, pg_temp and qualify every name (security 7),
--     and decide who the caller is from session_user, the login role an API key maps to.
-- PostGIS lives in schema public and is always called as public.<name>, so that no search_path (the
-- caller's, or the pinned one) can change what these functions call. Helpers that run with the caller's
-- rights also pin search_path, for the same reason and so that pg_get_expr()/format_type() print fully
-- qualified names that can be executed again.


-- ---------------------------------------------------------------------------------------------------
-- 1. Change tracking: when did a table's data last change (the SQL API's cache headers, tile stamps).
-- ---------------------------------------------------------------------------------------------------

CREATE TABLE cartodb.cdb_tablemetadata (
    tabname    regclass PRIMARY KEY,
    updated_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
-- Rows of every tenant live here: nobody reads or writes it directly, only through the functions below.
REVOKE ALL ON TABLE cartodb.cdb_tablemetadata FROM PUBLIC;

-- The stamp is clock_timestamp(), not now() (the transaction's start): a long transaction that commits
-- after a short one must still move the stamp forward, or a cache that revalidated in between would keep
-- the stale copy.
CREATE FUNCTION cartodb._tessera_stamp_table(tabname regclass) RETURNS void
    LANGUAGE sql VOLATILE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO cartodb.cdb_tablemetadata AS m (tabname, updated_at)
    VALUES (tabname, pg_catalog.clock_timestamp())
    ON CONFLICT (tabname) DO UPDATE SET updated_at = excluded.updated_at
$$;
-- Internal: it trusts its argument. Only the two functions below (same owner) call it.
REVOKE ALL ON FUNCTION cartodb._tessera_stamp_table(regclass) FROM PUBLIC;

-- Statement-level trigger on every cartodbfied table (track_updates). A trigger can only stamp the table
-- it is attached to (TG_RELID), and attaching it needs the TRIGGER privilege on that table, so every role
-- may use it.
CREATE FUNCTION cartodb.cdb_tablemetadata_trigger() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM cartodb._tessera_stamp_table(TG_RELID::pg_catalog.regclass);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cartodb.cdb_tablemetadata_trigger() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb.cdb_tablemetadata_trigger() TO PUBLIC;

-- CDB_TableMetadataTouch(table): mark a table as changed (e.g. after ALTER TABLE, which fires no trigger).
-- Only the table's owner (or a member of the owning role) may: anything else could let one tenant bust
-- another's caches. session_user, not current_user: inside this function current_user is its owner. The
-- error does not name the table, so the function tells nothing about relations the caller cannot see.
CREATE FUNCTION cartodb.cdb_tablemetadatatouch(tabname regclass) RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                    WHERE c.oid = tabname AND pg_catalog.pg_has_role(session_user, c.relowner, 'USAGE')) THEN
        RAISE EXCEPTION 'permission denied: only the owner of a table can touch its metadata'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM cartodb._tessera_stamp_table(tabname);
END
$$;
REVOKE ALL ON FUNCTION cartodb.cdb_tablemetadatatouch(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb.cdb_tablemetadatatouch(regclass) TO PUBLIC;

-- Reader for the SQL API's cache headers: the stamps of the given tables, for those the caller (the key's
-- login role) can read. Tables without a stamp, dropped tables and other tenants' tables give no row.
CREATE FUNCTION cartodb._tessera_table_updated_at(tables regclass[])
    RETURNS TABLE (tabname regclass, updated_at timestamptz)
    LANGUAGE sql STABLE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT m.tabname, m.updated_at
      FROM cartodb.cdb_tablemetadata m
      JOIN pg_catalog.pg_class c ON c.oid = m.tabname
     WHERE m.tabname = ANY (tables)
       AND pg_catalog.has_schema_privilege(session_user, c.relnamespace, 'USAGE')
       AND pg_catalog.has_any_column_privilege(session_user, c.oid, 'SELECT')
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_table_updated_at(regclass[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cartodb._tessera_table_updated_at(regclass[]) TO PUBLIC;


-- ---------------------------------------------------------------------------------------------------
-- 2. Geometry helpers.
-- ---------------------------------------------------------------------------------------------------

-- CDB_LatLng(lat, lng): a WGS84 point. Note the order: latitude first, unlike ST_MakePoint(x, y).
CREATE FUNCTION cartodb.cdb_latlng(lat float8, lng float8) RETURNS public.geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN public.ST_SetSRID(public.ST_MakePoint(lng, lat), 4326);

CREATE FUNCTION cartodb.cdb_latlng(lat numeric, lng numeric) RETURNS public.geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN public.ST_SetSRID(public.ST_MakePoint(lng::float8, lat::float8), 4326);

-- CDB_TransformToWebmercator(geom): geom in EPSG:3857, for drawing tiles.
--   * 3857 input is returned as it is;
--   * SRID 0 (unknown) is taken as WGS84, which is what CARTO data without an SRID is;
--   * web mercator is only defined between latitudes ±85.0511287798066 (the square world of the tile
--     pyramid), so the part of a geometry beyond that is clipped away before projecting. A geometry
--     entirely outside (a point at latitude 89) becomes an EMPTY geometry with SRID 3857, not NULL:
--     the row still has a geometry, just nothing to draw. Longitudes are not clipped.
CREATE FUNCTION cartodb.cdb_transformtowebmercator(geom public.geometry) RETURNS public.geometry
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    max_lat CONSTANT float8 := 85.0511287798066;
    g public.geometry := geom;
BEGIN
    CASE public.ST_SRID(g)
        WHEN 3857 THEN RETURN g;
        WHEN 4326 THEN NULL;
        WHEN 0 THEN g := public.ST_SetSRID(g, 4326);
        ELSE g := public.ST_Transform(g, 4326);
    END CASE;
    IF public.ST_IsEmpty(g) OR (public.ST_YMin(g) >= -max_lat AND public.ST_YMax(g) <= max_lat) THEN
        RETURN public.ST_Transform(g, 3857);
    END IF;
    -- ST_ClipByBox2D: fast and tolerant of invalid input (it does not need GEOS-valid polygons).
    g := public.ST_ClipByBox2D(g, public.ST_MakeEnvelope(public.ST_XMin(g) - 1, -max_lat,
                                                         public.ST_XMax(g) + 1, max_lat, 4326)::public.box2d);
    RETURN public.ST_Transform(g, 3857);
END
$$;

-- Row trigger of cartodbfied tables: the_geom_webmercator always follows the_geom. 2D, because the
-- column is geometry(Geometry,3857) and tiles are flat.
CREATE FUNCTION cartodb._cdb_update_the_geom_webmercator() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.the_geom_webmercator := public.ST_Force2D(cartodb.cdb_transformtowebmercator(NEW.the_geom));
    RETURN NEW;
END
$$;


-- ---------------------------------------------------------------------------------------------------
-- 3. Introspection for the caller.
-- ---------------------------------------------------------------------------------------------------

-- CDB_Username(): the Tessera user behind the key the caller logged in with (NULL for non-user roles).
CREATE FUNCTION cartodb.cdb_username() RETURNS text
    LANGUAGE sql STABLE
RETURN (SELECT c.username FROM cartodb._tessera_caller() c);

-- CDB_ColumnNames(table) / CDB_ColumnType(table, column): run with the caller's rights, and like
-- information_schema they show only columns the caller has some privilege on, so a key learns nothing
-- about tables it was not given. The type is format_type() without modifiers ('integer', 'text',
-- 'geometry', 'timestamp with time zone', 'text[]'), as CARTO returns it.
CREATE FUNCTION cartodb.cdb_columnnames(tabname regclass) RETURNS SETOF name
    LANGUAGE sql STABLE STRICT
AS $$
    SELECT a.attname
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = tabname AND a.attnum > 0 AND NOT a.attisdropped
       AND pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
     ORDER BY a.attnum
$$;

CREATE FUNCTION cartodb.cdb_columntype(tabname regclass, colname text) RETURNS text
    LANGUAGE sql STABLE STRICT
AS $$
    SELECT pg_catalog.format_type(a.atttypid, NULL)
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = tabname AND a.attname = colname AND a.attnum > 0 AND NOT a.attisdropped
       AND pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
$$;

-- CDB_UserTables(perm): the tables of the caller's schema that the caller can read (base and partitioned
-- tables, not views, as CARTO). 'public' = those the user's public role can SELECT, 'private' = the others,
-- 'all' = both. Called with the public key it therefore lists the public tables only. Runs with the
-- caller's rights: it never reveals a table the caller could not read.
CREATE FUNCTION cartodb.cdb_usertables(perm text DEFAULT 'all') RETURNS SETOF name
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    wanted text := pg_catalog.lower(perm);
    owner_schema text;
    public_role text;
BEGIN
    IF wanted IS NULL OR wanted NOT IN ('all', 'public', 'private') THEN
        RAISE EXCEPTION 'CDB_UserTables: unknown permission %; use ''all'', ''public'' or ''private''',
            pg_catalog.quote_literal(perm) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT coalesce(c.schema_name, pg_catalog.current_schema()), c.public_role
      INTO owner_schema, public_role
      FROM cartodb._tessera_caller() c;
    RETURN QUERY
        SELECT t.relname
          FROM pg_catalog.pg_class t
          JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = owner_schema
           AND t.relkind IN ('r', 'p') AND NOT t.relispartition
           AND t.relname NOT IN ('cdb_tablemetadata', 'cdb_analysis_catalog', 'cdb_conf', 'spatial_ref_sys')
           AND pg_catalog.has_table_privilege(t.oid, 'SELECT')
           AND CASE wanted
                   WHEN 'all' THEN true
                   WHEN 'public' THEN public_role IS NOT NULL
                                      AND pg_catalog.has_table_privilege(public_role, t.oid, 'SELECT')
                   ELSE public_role IS NULL
                        OR NOT pg_catalog.has_table_privilege(public_role, t.oid, 'SELECT')
               END
         ORDER BY t.relname;
END
$$;


-- ---------------------------------------------------------------------------------------------------
-- 4. CDB_CartodbfyTable: make a table what CARTO's clients expect (sql-api.md §7.2).
--
-- Result: columns cartodb_id (integer primary key from a sequence the column owns), the_geom
-- geometry(…,4326) and the_geom_webmercator geometry(Geometry,3857), in that order and first; GiST
-- indexes on both geometries; triggers track_updates and update_the_geom_webmercator_trigger; a stamp in
-- cdb_tablemetadata. Everything runs with the caller's rights, and the caller must own the table.
--
-- The table keeps its OID whenever it can: columns are renamed and converted in place. It is rebuilt
-- (new OID, same name, owner, data, defaults, constraints, indexes, triggers, comments and grants) only
-- when a column has to be added or the three columns are not the first ones, because PostgreSQL cannot
-- insert or reorder columns. A second call finds nothing to do and changes nothing.
-- ---------------------------------------------------------------------------------------------------

-- base, or base_1, base_2 … : the first that is not taken (names are at most 63 bytes).
CREATE FUNCTION cartodb._cdb_unused_name(base text, taken name[]) RETURNS name
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    candidate name := base::name;
    i integer := 0;
BEGIN
    WHILE candidate = ANY (taken) LOOP
        i := i + 1;
        candidate := (left(base, 63 - length('_' || i)) || '_' || i)::name;
    END LOOP;
    RETURN candidate;
END
$$;

-- Moves a column whose name we need out of the way (the_geom that is not a geometry, …), keeping its data.
CREATE FUNCTION cartodb._cdb_set_aside(reloid regclass, col name, suffix text) RETURNS name
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_name name := cartodb._cdb_unused_name(col || suffix, ARRAY(
        SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = reloid AND a.attnum > 0));
BEGIN
    EXECUTE format('ALTER TABLE %s RENAME COLUMN %I TO %I', reloid, col, new_name);
    RAISE NOTICE 'CDB_CartodbfyTable: column % of % cannot be used as %; renamed to %',
        quote_ident(col), reloid, col, quote_ident(new_name);
    RETURN new_name;
END
$$;

-- The SRID a geometry column holds: its declared SRID, or for an unconstrained column the one SRID of its
-- data; 0 when unknown (no SRID anywhere, or no rows), -1 when its rows mix SRIDs.
CREATE FUNCTION cartodb._cdb_geometry_srid(reloid regclass, col name) RETURNS integer
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    declared integer;
    lo integer;
    hi integer;
BEGIN
    SELECT public.postgis_typmod_srid(a.atttypmod) INTO declared
      FROM pg_catalog.pg_attribute a WHERE a.attrelid = reloid AND a.attname = col;
    IF declared <> 0 THEN
        RETURN declared;
    END IF;
    EXECUTE format('SELECT min(public.ST_SRID(%1$I)), max(public.ST_SRID(%1$I)) FROM %2$s', col, reloid)
        INTO lo, hi;
    RETURN CASE WHEN lo IS NULL THEN 0 WHEN lo = hi THEN lo ELSE -1 END;
END
$$;

-- Is a live column of this name a geometry?
CREATE FUNCTION cartodb._cdb_is_geometry(reloid regclass, col name) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = reloid AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped
                      AND a.atttypid = 'public.geometry'::regtype)
$$;

-- Is there a trigger of this name calling fn, of this kind (pg_trigger.tgtype bits), on these columns?
CREATE FUNCTION cartodb._cdb_has_trigger(reloid regclass, tgname name, fn regprocedure, kind integer,
                                         cols name[]) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_catalog.pg_trigger t
         WHERE t.tgrelid = reloid AND t.tgname = _cdb_has_trigger.tgname AND NOT t.tgisinternal
           AND t.tgfoid = fn AND t.tgtype = kind AND t.tgqual IS NULL AND t.tgnargs = 0
           -- tgattr is an int2vector (its array form starts at index 0): compare the sets of column numbers.
           AND (SELECT array_agg(n ORDER BY n) FROM unnest(t.tgattr::int2[]) n)
               IS NOT DISTINCT FROM (SELECT array_agg(a.attnum ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                                      WHERE a.attrelid = reloid AND a.attname = ANY (cols)))
$$;

-- Step 1: the id. An existing cartodb_id is kept if every row holds a distinct integer (converted to an
-- integer type when it is text or numeric); a column that cannot be used is an error, never silently
-- replaced. Without one, a single-column integer primary key becomes cartodb_id (CARTO's rule); otherwise
-- the caller has to create a new column (needs_new).
CREATE FUNCTION cartodb._cdb_prepare_id(reloid regclass, OUT needs_new boolean, OUT changed boolean)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col record;
    nulls bigint;
    dups bigint;
    fractions bigint;
    lo numeric;
    hi numeric;
    target text;
    hint CONSTANT text := 'Rename or drop column cartodb_id; CDB_CartodbfyTable then creates a new one.';
BEGIN
    needs_new := false;
    changed := false;
    SELECT a.attnum, a.atttypid, a.attgenerated INTO col
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = reloid AND a.attname = 'cartodb_id' AND a.attnum > 0 AND NOT a.attisdropped;

    IF NOT FOUND THEN
        SELECT a.attname, a.atttypid INTO col
          FROM pg_catalog.pg_constraint k
          JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
         WHERE k.conrelid = reloid AND k.contype = 'p' AND cardinality(k.conkey) = 1
           AND a.atttypid IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype);
        IF NOT FOUND THEN
            needs_new := true;
            RETURN;
        END IF;
        EXECUTE format('ALTER TABLE %s RENAME COLUMN %I TO cartodb_id', reloid, col.attname);
        IF col.atttypid = 'smallint'::regtype THEN
            EXECUTE format('ALTER TABLE %s ALTER COLUMN cartodb_id TYPE integer', reloid);
        END IF;
        changed := true;
        RETURN;
    END IF;

    IF col.attgenerated <> '' THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: column cartodb_id of % cannot be used as an id: it is a generated column',
            reloid USING ERRCODE = 'invalid_table_definition', HINT = hint;
    END IF;

    IF col.atttypid IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype) THEN
        -- Already the primary key: unique and not null by construction, no need to read the table.
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                    WHERE k.conrelid = reloid AND k.contype = 'p' AND k.conkey = ARRAY[col.attnum]) THEN
            nulls := 0;
            dups := 0;
        ELSE
            EXECUTE format('SELECT count(*) - count(cartodb_id), count(cartodb_id) - count(DISTINCT cartodb_id) FROM %s',
                           reloid) INTO nulls, dups;
        END IF;
        fractions := 0;
    ELSE
        BEGIN
            EXECUTE format($q$
                SELECT count(*) - count(v), count(v) - count(DISTINCT v), count(*) FILTER (WHERE v <> trunc(v)),
                       min(v), max(v)
                  FROM (SELECT btrim(cartodb_id::text)::numeric AS v FROM %s) s$q$, reloid)
                INTO nulls, dups, fractions, lo, hi;
        EXCEPTION WHEN data_exception THEN
            fractions := 1;
        END;
    END IF;

    IF nulls > 0 THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: column cartodb_id of % cannot be used as an id: it is empty in % rows',
            reloid, nulls USING ERRCODE = 'not_null_violation', HINT = hint;
    ELSIF fractions > 0 THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: column cartodb_id of % cannot be used as an id: its values are not all integers',
            reloid USING ERRCODE = 'invalid_text_representation', HINT = hint;
    ELSIF dups > 0 THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: column cartodb_id of % cannot be used as an id: its values are not unique (% repeats)',
            reloid, dups USING ERRCODE = 'unique_violation', HINT = hint;
    END IF;

    IF col.atttypid = 'smallint'::regtype THEN
        target := 'integer';   -- a smallint id would run out after 32767 rows
    ELSIF col.atttypid NOT IN ('integer'::regtype, 'bigint'::regtype) THEN
        target := CASE WHEN lo >= -2147483648 AND hi <= 2147483647 OR lo IS NULL THEN 'integer' ELSE 'bigint' END;
        -- A default written for the old type (e.g. a text one) would not survive the conversion.
        EXECUTE format('ALTER TABLE %s ALTER COLUMN cartodb_id DROP DEFAULT', reloid);
    END IF;
    IF target IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s ALTER COLUMN cartodb_id TYPE %s USING btrim(cartodb_id::text)::numeric::%s',
                       reloid, target, target);
        changed := true;
    END IF;
END
$$;

-- Step 2: the geometries, in place. Afterwards the table has at most these, always with the right SRID:
--   the_geom             geometry(<declared subtype, or Geometry>, 4326)
--   the_geom_webmercator geometry(Geometry, 3857)
-- and when both exist, the_geom_webmercator is computed from the_geom, unless our trigger has been keeping
-- it so (maintained) and it already had that type. A missing one is computed from the other when the table is rebuilt (step 3).
-- Which column becomes the_geom: the_geom itself (a text/bytea/json/geography one is read as geometry if
-- every value parses, else renamed out of the way); otherwise the first geometry column in 4326 (or with
-- no SRID), then one in 3857 (which becomes the_geom_webmercator, the_geom is projected back from it),
-- then the first other geometry column (projected to 4326). Unconstrained columns lose Z/M (2D, as
-- CARTO's importer does); a declared subtype such as PointZ is kept.
CREATE FUNCTION cartodb._cdb_prepare_geometries(reloid regclass, maintained boolean) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed boolean := false;
    att record;
    parse text;
    has_g boolean;
    has_w boolean;
    w_srid integer;
    g_srid integer;
    g_typmod integer;
    w_typmod integer;
    w_is_final boolean;
    recompute boolean := NOT maintained;
    subtype text;
    to_4326 text;
BEGIN
    -- Reserved names on columns that cannot hold geometries.
    SELECT t.typcategory INTO att
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = reloid AND a.attname = 'the_geom_webmercator' AND a.attnum > 0 AND NOT a.attisdropped
       AND a.atttypid <> 'public.geometry'::regtype;
    IF FOUND THEN
        PERFORM cartodb._cdb_set_aside(reloid, 'the_geom_webmercator', CASE WHEN att.typcategory = 'S' THEN '_str' ELSE '_old' END);
        changed := true;
    END IF;

    SELECT a.atttypid, t.typcategory INTO att
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = reloid AND a.attname = 'the_geom' AND a.attnum > 0 AND NOT a.attisdropped
       AND a.atttypid <> 'public.geometry'::regtype;
    IF FOUND THEN
        parse := CASE
            -- WKT, EWKT, hex (E)WKB and GeoJSON all go through geometry's input function.
            WHEN att.typcategory = 'S' OR att.atttypid IN ('json'::regtype, 'jsonb'::regtype)
                THEN 'NULLIF(btrim(the_geom::text), '''')::public.geometry'
            WHEN att.atttypid = 'bytea'::regtype THEN 'public.ST_GeomFromEWKB(the_geom)'
            WHEN att.atttypid = 'public.geography'::regtype THEN 'the_geom::public.geometry'
        END;
        IF parse IS NOT NULL THEN
            BEGIN
                EXECUTE format('ALTER TABLE %s ALTER COLUMN the_geom DROP DEFAULT', reloid);
                EXECUTE format('ALTER TABLE %s ALTER COLUMN the_geom TYPE public.geometry USING %s', reloid, parse);
            EXCEPTION WHEN data_exception OR internal_error THEN   -- PostGIS parse errors are XX000
                parse := NULL;
            END;
        END IF;
        IF parse IS NULL THEN
            PERFORM cartodb._cdb_set_aside(reloid, 'the_geom', CASE WHEN att.typcategory = 'S' THEN '_str' ELSE '_old' END);
        END IF;
        changed := true;
    END IF;

    has_w := cartodb._cdb_is_geometry(reloid, 'the_geom_webmercator');
    IF has_w THEN
        w_srid := cartodb._cdb_geometry_srid(reloid, 'the_geom_webmercator');
    END IF;

    -- No the_geom: choose the column to become it.
    IF NOT cartodb._cdb_is_geometry(reloid, 'the_geom') THEN
        SELECT g.attname, g.srid INTO att
          FROM (SELECT a.attname, a.attnum, cartodb._cdb_geometry_srid(reloid, a.attname) AS srid
                  FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = reloid AND a.attnum > 0 AND NOT a.attisdropped
                   AND a.atttypid = 'public.geometry'::regtype AND a.attname <> 'the_geom_webmercator') g
         ORDER BY g.srid NOT IN (4326, 0),          -- false sorts first: lon/lat columns first,
                  g.srid <> 3857 OR has_w,          -- then web mercator ones (unless we have one),
                  g.attnum                          -- then the first of the rest
         LIMIT 1;
        IF FOUND AND att.srid = 3857 THEN
            -- A web mercator column: it keeps its exact coordinates as the_geom_webmercator.
            EXECUTE format('ALTER TABLE %s RENAME COLUMN %I TO the_geom_webmercator', reloid, att.attname);
            has_w := true;
            w_srid := 3857;
            changed := true;
        ELSIF FOUND THEN
            EXECUTE format('ALTER TABLE %s RENAME COLUMN %I TO the_geom', reloid, att.attname);
            changed := true;
        ELSIF has_w AND w_srid NOT IN (3857, 0) THEN
            -- the_geom_webmercator is the only geometry, and it is not web mercator: it is the data.
            EXECUTE format('ALTER TABLE %s RENAME COLUMN the_geom_webmercator TO the_geom', reloid);
            has_w := false;
            changed := true;
        END IF;
    END IF;

    has_g := cartodb._cdb_is_geometry(reloid, 'the_geom');
    IF has_g THEN
        SELECT a.atttypmod INTO g_typmod FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = reloid AND a.attname = 'the_geom';
        IF public.postgis_typmod_srid(g_typmod) <> 4326 THEN
            g_srid := cartodb._cdb_geometry_srid(reloid, 'the_geom');
            IF g_srid = 3857 AND NOT has_w THEN
                EXECUTE format('ALTER TABLE %s RENAME COLUMN the_geom TO the_geom_webmercator', reloid);
                has_g := false;
                has_w := true;
                w_srid := 3857;
            ELSE
                -- The trigger names the_geom in UPDATE OF, which forbids changing the column's type.
                IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                            WHERE t.tgrelid = reloid AND t.tgname = 'update_the_geom_webmercator_trigger') THEN
                    EXECUTE format('DROP TRIGGER update_the_geom_webmercator_trigger ON %s', reloid);
                END IF;
                to_4326 := 'CASE public.ST_SRID(the_geom) WHEN 4326 THEN the_geom '
                           'WHEN 0 THEN public.ST_SetSRID(the_geom, 4326) '
                           'ELSE public.ST_Transform(the_geom, 4326) END';
                IF g_typmod = -1 THEN
                    subtype := 'Geometry';
                    to_4326 := 'public.ST_Force2D(' || to_4326 || ')';
                ELSE
                    subtype := public.postgis_typmod_type(g_typmod);
                END IF;
                EXECUTE format('ALTER TABLE %s ALTER COLUMN the_geom TYPE public.geometry(%s,4326) USING %s',
                               reloid, subtype, to_4326);
                recompute := true;
            END IF;
            changed := true;
        END IF;
    END IF;

    IF has_w THEN
        SELECT a.atttypmod INTO w_typmod FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = reloid AND a.attname = 'the_geom_webmercator';
        -- Any subtype but Geometry would refuse some of what the trigger derives from the_geom.
        w_is_final := public.postgis_typmod_srid(w_typmod) = 3857 AND public.postgis_typmod_type(w_typmod) = 'Geometry';
        IF has_g AND (recompute OR NOT w_is_final) THEN
            EXECUTE format('ALTER TABLE %s ALTER COLUMN the_geom_webmercator TYPE public.geometry(Geometry,3857) '
                           'USING public.ST_Force2D(cartodb.cdb_transformtowebmercator(the_geom))', reloid);
            changed := true;
        ELSIF NOT has_g AND NOT w_is_final THEN
            -- The source of the_geom: its data are web mercator (or carry no SRID), keep them exactly.
            EXECUTE format('ALTER TABLE %s ALTER COLUMN the_geom_webmercator TYPE public.geometry(Geometry,3857) '
                           'USING public.ST_SetSRID(public.ST_Force2D(the_geom_webmercator), 3857)', reloid);
            changed := true;
        END IF;
    END IF;
    RETURN changed;
END
$$;

-- The definition of an existing column, for CREATE TABLE: type, collation, default/identity/generation
-- and NOT NULL, all printed fully qualified (search_path is pinned).
CREATE FUNCTION cartodb._cdb_column_definition(reloid regclass, col name) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
        || CASE WHEN a.attcollation <> t.typcollation
                THEN format(' COLLATE %I.%I', cn.nspname, co.collname) ELSE '' END
        || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                WHEN a.attidentity = 'a' THEN ' GENERATED ALWAYS AS IDENTITY'
                WHEN a.attidentity = 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY'
                WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid)
                ELSE '' END
        || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
      LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
     WHERE a.attrelid = reloid AND a.attname = col
$$;

-- GRANT statements that give relation `target` the privileges `acl` lists (the owner's own excepted).
CREATE FUNCTION cartodb._cdb_grants(acl aclitem[], owner oid, target text, col name DEFAULT NULL)
    RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT format('GRANT %s%s ON TABLE %s TO %s%s', g.privilege_type,
                  CASE WHEN col IS NULL THEN '' ELSE format(' (%I)', col) END, target,
                  CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                  CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
      FROM aclexplode(acl) g
     WHERE g.grantee <> owner
$$;

-- Step 3: rebuild the table when a column has to be added or cartodb_id, the_geom, the_geom_webmercator are
-- not its first three columns. Returns the (new) table. The rebuilt table gets back the old one's name,
-- owner, data, defaults, identities, generated columns, NOT NULLs, constraints (but the primary key, which
-- step 4 puts on cartodb_id), indexes, rules, triggers, comments, storage parameters and privileges.
-- Refused, with a clear error, when other objects depend on the table (views, foreign keys: dropping it
-- would need CASCADE), when it has row level security (rebuilding would drop its policies) or takes part
-- in inheritance.
CREATE FUNCTION cartodb._cdb_rewrite(reloid regclass, new_id boolean) RETURNS regclass
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel record;
    tbl text;                       -- the qualified name, which the new table takes over
    tmp name;                       -- the old table's name while both exist
    has_g boolean := cartodb._cdb_is_geometry(reloid, 'the_geom');
    has_w boolean := cartodb._cdb_is_geometry(reloid, 'the_geom_webmercator');
    defs text[] := '{}';            -- the new table's column definitions, in order
    targets text[] := '{}';         -- INSERT … (targets) SELECT sources FROM old
    sources text[] := '{}';
    restore text[] := '{}';         -- statements run on the new table once the old one is gone
    seqs regclass[] := '{}';        -- sequences to attach to columns of the new table …
    seq_cols name[] := '{}';        -- … these ones
    identities name[] := '{}';      -- identity columns, whose new sequences must skip the copied values
    col record;
    seq_name name;
    newoid regclass;
    stmt text;
    detail text;
    hi bigint;
BEGIN
    IF NOT new_id AND ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a
                             WHERE a.attrelid = reloid AND a.attnum > 0 AND NOT a.attisdropped
                             ORDER BY a.attnum LIMIT 3)
                      = ARRAY['cartodb_id', 'the_geom', 'the_geom_webmercator']::name[] THEN
        RETURN reloid;
    END IF;

    SELECT c.relname, c.relnamespace, n.nspname, c.relowner, c.relpersistence, c.relacl, c.reloptions,
           c.relrowsecurity
      INTO rel
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = reloid;
    IF rel.relrowsecurity OR EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = reloid) THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: % has row level security and would have to be rebuilt', quote_ident(rel.relname)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Make cartodb_id, the_geom and the_geom_webmercator its first three columns yourself, then call CDB_CartodbfyTable again.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = reloid OR i.inhparent = reloid) THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: % takes part in table inheritance and would have to be rebuilt', quote_ident(rel.relname)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Make cartodb_id, the_geom and the_geom_webmercator its first three columns yourself, then call CDB_CartodbfyTable again.';
    END IF;
    tbl := format('%I.%I', rel.nspname, rel.relname);

    -- The leading three columns.
    IF new_id THEN
        seq_name := cartodb._cdb_unused_name(left(rel.relname, 48) || '_cartodb_id_seq', ARRAY(
            SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = rel.relnamespace));
        EXECUTE format('CREATE SEQUENCE %I.%I AS integer', rel.nspname, seq_name);
        defs := defs || format('cartodb_id integer NOT NULL DEFAULT nextval(%L::regclass)',
                               format('%I.%I', rel.nspname, seq_name));
        seqs := seqs || format('%I.%I', rel.nspname, seq_name)::regclass;
        seq_cols := seq_cols || 'cartodb_id'::name;
        -- No INSERT target: the default numbers the rows in the order they are copied.
    ELSE
        defs := defs || cartodb._cdb_column_definition(reloid, 'cartodb_id');
        targets := targets || 'cartodb_id'::text;
        sources := sources || 'cartodb_id'::text;
    END IF;
    IF has_g THEN
        defs := defs || cartodb._cdb_column_definition(reloid, 'the_geom');
        sources := sources || 'the_geom'::text;
    ELSE
        defs := defs || 'the_geom public.geometry(Geometry,4326)'::text;
        sources := sources || CASE WHEN has_w
            THEN 'public.ST_Force2D(public.ST_Transform(the_geom_webmercator, 4326))' ELSE 'NULL' END;
    END IF;
    targets := targets || 'the_geom'::text;
    IF has_w THEN
        defs := defs || cartodb._cdb_column_definition(reloid, 'the_geom_webmercator');
        sources := sources || 'the_geom_webmercator'::text;
    ELSE
        defs := defs || 'the_geom_webmercator public.geometry(Geometry,3857)'::text;
        sources := sources || CASE WHEN has_g
            THEN 'public.ST_Force2D(cartodb.cdb_transformtowebmercator(the_geom))' ELSE 'NULL' END;
    END IF;
    targets := targets || 'the_geom_webmercator'::text;

    -- The other columns, in their order. Generated ones compute themselves.
    FOR col IN
        SELECT a.attname, a.attgenerated, a.attidentity, a.attacl, col_description(reloid, a.attnum) AS note
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = reloid AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attname NOT IN ('cartodb_id', 'the_geom', 'the_geom_webmercator'), a.attnum
    LOOP
        IF col.attname NOT IN ('cartodb_id', 'the_geom', 'the_geom_webmercator') THEN
            defs := defs || cartodb._cdb_column_definition(reloid, col.attname);
            IF col.attgenerated = '' THEN
                targets := targets || quote_ident(col.attname);
                sources := sources || quote_ident(col.attname);
            END IF;
        END IF;
        IF col.attidentity <> '' THEN
            identities := identities || col.attname;
        END IF;
        IF col.note IS NOT NULL THEN
            restore := restore || format('COMMENT ON COLUMN %s.%I IS %L', tbl, col.attname, col.note);
        END IF;
        IF col.attacl IS NOT NULL THEN
            restore := restore || ARRAY(SELECT cartodb._cdb_grants(col.attacl, rel.relowner, tbl, col.attname));
        END IF;
    END LOOP;

    -- What the old table had besides its columns, printed while it still has its name.
    restore := restore || ARRAY(SELECT cartodb._cdb_grants(rel.relacl, rel.relowner, tbl));
    IF obj_description(reloid, 'pg_class') IS NOT NULL THEN
        restore := restore || format('COMMENT ON TABLE %s IS %L', tbl, obj_description(reloid, 'pg_class'));
    END IF;
    IF rel.reloptions IS NOT NULL THEN
        restore := restore || format('ALTER TABLE %s SET (%s)', tbl, (
            SELECT string_agg(format('%I = %L', split_part(o, '=', 1), substr(o, strpos(o, '=') + 1)), ', ')
              FROM unnest(rel.reloptions) o));
    END IF;
    restore := restore || ARRAY(
        SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, k.conname, pg_get_constraintdef(k.oid))
          FROM pg_catalog.pg_constraint k
         WHERE k.conrelid = reloid AND k.contype IN ('c', 'u', 'x', 'f')
         ORDER BY k.contype = 'f', k.conname);
    restore := restore || ARRAY(
        SELECT pg_get_indexdef(i.indexrelid)
          FROM pg_catalog.pg_index i
         WHERE i.indrelid = reloid
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                            WHERE k.conindid = i.indexrelid AND k.conrelid = reloid AND k.contype IN ('p', 'u', 'x'))
         ORDER BY i.indexrelid);
    restore := restore || ARRAY(
        SELECT pg_get_ruledef(r.oid) FROM pg_catalog.pg_rewrite r
         WHERE r.ev_class = reloid AND r.rulename <> '_RETURN' ORDER BY r.rulename);
    -- Triggers, except ours (step 5 makes them) and CARTO's quota triggers (Tessera has no quota function).
    FOR col IN
        SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) AS def
          FROM pg_catalog.pg_trigger t
         WHERE t.tgrelid = reloid AND NOT t.tgisinternal
           AND t.tgname NOT IN ('track_updates', 'update_the_geom_webmercator_trigger', 'test_quota', 'test_quota_per_row')
         ORDER BY t.tgname
    LOOP
        restore := restore || col.def;
        IF col.tgenabled <> 'O' THEN
            restore := restore || format('ALTER TABLE %s %s TRIGGER %I', tbl,
                CASE col.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'ENABLE ALWAYS' END,
                col.tgname);
        END IF;
    END LOOP;

    -- Sequences the old columns own (serial style) would go with the old table: detach them, re-attach below.
    FOR col IN
        SELECT d.objid::regclass AS seq, a.attname
          FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
          JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
           AND d.refobjid = reloid AND d.deptype = 'a'
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNED BY NONE', col.seq);
        seqs := seqs || col.seq;
        seq_cols := seq_cols || col.attname;
    END LOOP;

    -- Swap: the old table steps aside, the new one takes its name and its rows.
    tmp := cartodb._cdb_unused_name('_cdbfy_' || rel.relname, ARRAY(
        SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = rel.relnamespace));
    EXECUTE format('ALTER TABLE %s RENAME TO %I', tbl, tmp);
    EXECUTE format('CREATE %sTABLE %s (%s)', CASE WHEN rel.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END,
                   tbl, array_to_string(defs, ', '));
    newoid := tbl::regclass;
    EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %I.%I', tbl,
                   array_to_string(targets, ', '), array_to_string(sources, ', '), rel.nspname, tmp);
    BEGIN
        EXECUTE format('DROP TABLE %I.%I', rel.nspname, tmp);
    EXCEPTION WHEN dependent_objects_still_exist THEN
        GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION 'CDB_CartodbfyTable: % has to be rebuilt to put cartodb_id, the_geom and the_geom_webmercator first, but other objects depend on it',
                quote_ident(rel.relname)
            USING ERRCODE = 'dependent_objects_still_exist',
                  DETAIL = replace(detail, quote_ident(tmp), quote_ident(rel.relname)),
                  HINT = 'Drop the dependent objects (or add those columns, in that order, yourself), then call CDB_CartodbfyTable again.';
    END;

    IF rel.relowner <> (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        EXECUTE format('ALTER TABLE %s OWNER TO %I', tbl, pg_get_userbyid(rel.relowner));
    END IF;
    -- Privileges: exactly the old table's (default privileges may have granted others to the new one).
    FOR col IN SELECT DISTINCT g.grantee FROM pg_catalog.pg_class c, aclexplode(c.relacl) g
                WHERE c.oid = newoid AND g.grantee <> rel.relowner LOOP
        EXECUTE format('REVOKE ALL ON TABLE %s FROM %s', tbl,
                       CASE WHEN col.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(col.grantee)) END);
    END LOOP;
    FOREACH stmt IN ARRAY restore LOOP
        EXECUTE stmt;
    END LOOP;
    FOR i IN 1 .. coalesce(array_length(seqs, 1), 0) LOOP
        IF (SELECT s.relowner FROM pg_catalog.pg_class s WHERE s.oid = seqs[i]) <> rel.relowner THEN
            EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', seqs[i], pg_get_userbyid(rel.relowner));
        END IF;
        EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', seqs[i], tbl, seq_cols[i]);
    END LOOP;
    FOREACH seq_name IN ARRAY identities LOOP
        EXECUTE format('SELECT max(%I) FROM %s', seq_name, tbl) INTO hi;
        IF hi IS NOT NULL THEN
            PERFORM setval(pg_get_serial_sequence(tbl, seq_name), hi);
        END IF;
    END LOOP;
    RETURN newoid;
END
$$;

-- Step 4: a sequence owned by cartodb_id feeds its default, and is past the highest id (never moved back,
-- so ids of deleted rows are not handed out again); the primary key is (cartodb_id) and nothing else.
CREATE FUNCTION cartodb._cdb_ensure_id_sequence_and_key(reloid regclass) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed boolean := false;
    id record;
    rel record;
    seq regclass;
    seq_name name;
    hi bigint;
    last bigint;
    called boolean;
    pk record;
BEGIN
    SELECT c.relname, c.relnamespace, n.nspname, c.relowner INTO rel
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = reloid;
    SELECT a.attnum, a.attidentity, format_type(a.atttypid, NULL) AS type INTO id
      FROM pg_catalog.pg_attribute a WHERE a.attrelid = reloid AND a.attname = 'cartodb_id';

    seq := pg_get_serial_sequence(reloid::text, 'cartodb_id')::regclass;
    IF seq IS NULL THEN
        seq_name := cartodb._cdb_unused_name(left(rel.relname, 48) || '_cartodb_id_seq', ARRAY(
            SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = rel.relnamespace));
        EXECUTE format('CREATE SEQUENCE %I.%I AS %s', rel.nspname, seq_name, id.type);
        seq := format('%I.%I', rel.nspname, seq_name)::regclass;
        IF (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) <> rel.relowner THEN
            EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', seq, pg_get_userbyid(rel.relowner));
        END IF;
        EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.cartodb_id', seq, reloid);
        changed := true;
    END IF;
    IF id.attidentity = '' AND NOT EXISTS (
            SELECT 1 FROM pg_catalog.pg_attrdef d
              JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_attrdef'::regclass AND dep.objid = d.oid
             WHERE d.adrelid = reloid AND d.adnum = id.attnum
               AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.refobjid = seq) THEN
        EXECUTE format('ALTER TABLE %s ALTER COLUMN cartodb_id SET DEFAULT nextval(%L::regclass)', reloid, seq::text);
        changed := true;
    END IF;
    EXECUTE format('SELECT max(cartodb_id) FROM %s', reloid) INTO hi;
    EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO last, called;
    IF hi > (CASE WHEN called THEN last ELSE last - 1 END) THEN
        PERFORM setval(seq, hi);
    END IF;

    SELECT k.conname, k.conkey INTO pk FROM pg_catalog.pg_constraint k WHERE k.conrelid = reloid AND k.contype = 'p';
    IF NOT FOUND OR pk.conkey <> ARRAY[id.attnum] THEN
        IF FOUND THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', reloid, pk.conname);
        END IF;
        EXECUTE format('ALTER TABLE %s ADD PRIMARY KEY (cartodb_id)', reloid);
        changed := true;
    END IF;
    RETURN changed;
END
$$;

-- Step 5: a GiST index on each geometry (any plain single-column one will do), and our two triggers.
CREATE FUNCTION cartodb._cdb_ensure_indexes_and_triggers(reloid regclass) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed boolean := false;
    col name;
BEGIN
    FOREACH col IN ARRAY ARRAY['the_geom', 'the_geom_webmercator']::name[] LOOP
        IF NOT EXISTS (
                SELECT 1 FROM pg_catalog.pg_index i
                  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                  JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indrelid = reloid AND am.amname = 'gist' AND i.indnatts = 1 AND a.attname = col
                   AND i.indexprs IS NULL AND i.indpred IS NULL) THEN
            EXECUTE format('CREATE INDEX ON %s USING gist (%I)', reloid, col);
            changed := true;
        END IF;
    END LOOP;

    -- tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate.
    IF NOT cartodb._cdb_has_trigger(reloid, 'track_updates', 'cartodb.cdb_tablemetadata_trigger()', 4 + 8 + 16 + 32, '{}') THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER track_updates AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cartodb.cdb_tablemetadata_trigger()', reloid);
        changed := true;
    END IF;
    IF NOT cartodb._cdb_has_trigger(reloid, 'update_the_geom_webmercator_trigger',
                                    'cartodb._cdb_update_the_geom_webmercator()', 1 + 2 + 4 + 16, '{the_geom}') THEN
        EXECUTE format('CREATE OR REPLACE TRIGGER update_the_geom_webmercator_trigger '
                       'BEFORE INSERT OR UPDATE OF the_geom ON %s '
                       'FOR EACH ROW EXECUTE FUNCTION cartodb._cdb_update_the_geom_webmercator()', reloid);
        changed := true;
    END IF;
    RETURN changed;
END
$$;

-- The whole procedure, for a schema that has been resolved already.
CREATE FUNCTION cartodb._cdb_cartodbfy(dest text, reloid regclass) RETURNS regclass
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel record;
    changed boolean := false;
    id record;
    maintained boolean;
    newoid regclass;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n WHERE n.nspname = dest) THEN
        RAISE EXCEPTION 'Invalid schema name "%"', dest USING ERRCODE = 'invalid_schema_name';
    END IF;
    SELECT c.relname, n.nspname, c.relkind, c.relispartition, c.relowner INTO rel
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = reloid;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'relation with OID % does not exist', reloid::oid USING ERRCODE = 'undefined_table';
    END IF;
    IF NOT pg_has_role(current_user, rel.relowner, 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table %', quote_ident(rel.relname) USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF rel.relkind <> 'r' OR rel.relispartition THEN
        RAISE EXCEPTION 'CDB_CartodbfyTable: % is not a plain table', quote_ident(rel.relname)
            USING ERRCODE = 'wrong_object_type';
    END IF;

    -- Everything below may alter the table; nobody may use it half done.
    EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', reloid);

    IF rel.nspname <> dest THEN
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = dest AND c.relname = rel.relname) THEN
            RAISE EXCEPTION 'CDB_CartodbfyTable: relation "%" already exists in schema "%"', rel.relname, dest
                USING ERRCODE = 'duplicate_table';
        END IF;
        EXECUTE format('ALTER TABLE %s SET SCHEMA %I', reloid, dest);   -- owned sequences and indexes move along
        changed := true;
    END IF;

    maintained := cartodb._cdb_has_trigger(reloid, 'update_the_geom_webmercator_trigger',
                                           'cartodb._cdb_update_the_geom_webmercator()', 1 + 2 + 4 + 16, '{the_geom}');
    id := cartodb._cdb_prepare_id(reloid);
    IF id.changed THEN
        changed := true;
    END IF;
    IF cartodb._cdb_prepare_geometries(reloid, maintained) THEN
        changed := true;
    END IF;
    newoid := cartodb._cdb_rewrite(reloid, id.needs_new);
    IF newoid <> reloid THEN
        changed := true;
    END IF;
    IF cartodb._cdb_ensure_id_sequence_and_key(newoid) THEN
        changed := true;
    END IF;
    IF cartodb._cdb_ensure_indexes_and_triggers(newoid) THEN
        changed := true;
    END IF;
    -- Stamp when something changed, or when the table was never stamped; a no-op call leaves caches alone.
    IF changed OR NOT EXISTS (SELECT 1 FROM cartodb._tessera_table_updated_at(ARRAY[newoid])) THEN
        PERFORM cartodb.cdb_tablemetadatatouch(newoid);
    END IF;
    RETURN newoid;
END
$$;

-- CDB_CartodbfyTable(destschema, table). destschema 'public' (or NULL) is the caller's own schema; a
-- table outside destschema is moved into it. Returns the table (a new OID only if it had to be rebuilt).
CREATE FUNCTION cartodb.cdb_cartodbfytable(destschema text, reloid regclass) RETURNS regclass
    LANGUAGE plpgsql
AS $$
DECLARE
    dest text := destschema;
BEGIN
    IF dest IS NULL OR dest = 'public' THEN
        SELECT c.schema_name INTO dest FROM cartodb._tessera_caller() c;
        -- Not a Tessera key (an administrator): the first schema of its own search_path.
        dest := coalesce(dest, pg_catalog.current_schema());
    END IF;
    RETURN cartodb._cdb_cartodbfy(dest, reloid);
END
$$;

-- CDB_CartodbfyTable(table) = CDB_CartodbfyTable('public', table): the caller's own schema.
CREATE FUNCTION cartodb.cdb_cartodbfytable(reloid regclass) RETURNS regclass
    LANGUAGE sql
RETURN cartodb.cdb_cartodbfytable(NULL::text, reloid);
