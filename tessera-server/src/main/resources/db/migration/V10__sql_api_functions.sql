-- The rest of the CDB_* functions clients call through the SQL API (reference/sql-api.md §7.1), and the
-- reader of table stamps behind the SQL API's cache headers. Written for Tessera from the documented
-- behaviour; the code is our own. Every function runs with the caller's rights (EXPLAIN as the key's
-- role). Those that run the caller's query keep the caller's search_path (the query's names must resolve
-- as they would in the caller's session) and qualify what they call; the others pin search_path.
--
-- Not here on purpose: quota functions (CDB_UserDataSize, _CDB_UserQuotaInBytes, CDB_SetUserQuotaInBytes)
-- belong to the COPY/import work; CDB_Overviews and CDB_Organization_* have no Tessera counterpart yet.


-- Every change of a stamp, however it is made (the track_updates trigger, CDB_TableMetadataTouch, an
-- administrator's UPDATE), notifies channel tessera_table_stamps with the table's OID at commit, so each
-- server node drops its in-memory copy of that stamp: the SQL API's cache headers cost no query on the hot
-- path, and a write through any API is seen on every node.
CREATE FUNCTION cartodb._tessera_notify_stamp() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('tessera_table_stamps',
        (CASE WHEN TG_OP = 'DELETE' THEN OLD.tabname ELSE NEW.tabname END)::oid::text);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION cartodb._tessera_notify_stamp() FROM PUBLIC;

CREATE TRIGGER tessera_notify_stamp
    AFTER INSERT OR UPDATE OR DELETE ON cartodb.cdb_tablemetadata
    FOR EACH ROW EXECUTE FUNCTION cartodb._tessera_notify_stamp();


-- _CDB_QueryStatements(query): the statements of a script, split on semicolons outside quotes,
-- double-quoted identifiers, dollar quotes and comments; blank statements dropped.
CREATE FUNCTION cartodb._cdb_querystatements(query text) RETURNS SETOF text
    LANGUAGE plpgsql IMMUTABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer := length(query);
    i integer := 1;
    start integer := 1;
    c text;
    tag text;
    j integer;
BEGIN
    WHILE i <= n LOOP
        c := substr(query, i, 1);
        IF c = '''' OR c = '"' THEN
            j := i + 1;
            LOOP
                EXIT WHEN j > n;
                IF substr(query, j, 1) = c THEN
                    IF substr(query, j + 1, 1) = c THEN j := j + 2; CONTINUE; END IF;
                    EXIT;
                END IF;
                j := j + 1;
            END LOOP;
            i := j + 1;
        ELSIF substr(query, i, 2) = '--' THEN
            j := strpos(substr(query, i), E'\n');
            i := CASE WHEN j = 0 THEN n + 1 ELSE i + j END;
        ELSIF substr(query, i, 2) = '/*' THEN
            j := strpos(substr(query, i + 2), '*/');
            i := CASE WHEN j = 0 THEN n + 1 ELSE i + j + 3 END;
        ELSIF c = '$' THEN
            tag := substring(substr(query, i) FROM '^\$[A-Za-z_]*\$');
            IF tag IS NULL THEN
                i := i + 1;
            ELSE
                j := strpos(substr(query, i + length(tag)), tag);
                i := CASE WHEN j = 0 THEN n + 1 ELSE i + length(tag) + j - 1 + length(tag) END;
            END IF;
        ELSIF c = ';' THEN
            IF btrim(substr(query, start, i - start), E' \t\r\n') <> '' THEN
                RETURN NEXT btrim(substr(query, start, i - start), E' \t\r\n');
            END IF;
            i := i + 1;
            start := i;
        ELSE
            i := i + 1;
        END IF;
    END LOOP;
    IF btrim(substr(query, start), E' \t\r\n') <> '' THEN
        RETURN NEXT btrim(substr(query, start), E' \t\r\n');
    END IF;
END
$$;

-- CDB_QueryTablesText(query): the tables the SELECT/WITH statements of a script read, as sorted distinct
-- quote_ident'ed 'schema.table' texts, from EXPLAIN as the caller. A statement that cannot be explained
-- raises its error (CARTO does). Other statements (DML, DDL) add nothing.
-- No pinned search_path here: the query must resolve its names as the caller's own would.
CREATE FUNCTION cartodb.cdb_querytablestext(query text) RETURNS text[]
    LANGUAGE plpgsql VOLATILE STRICT
AS $$
DECLARE
    stmt text;
    plan json;
    found text[] := '{}';
BEGIN
    FOR stmt IN SELECT s FROM cartodb._cdb_querystatements(query) s LOOP
        IF NOT (stmt ~* '^\s*(\(\s*)*(select|with)\M') THEN
            CONTINUE;
        END IF;
        EXECUTE 'EXPLAIN (FORMAT JSON, VERBOSE) ' || stmt INTO STRICT plan;
        found := found || ARRAY(
            SELECT pg_catalog.quote_ident(r ->> 'Schema') || '.' || pg_catalog.quote_ident(r ->> 'Relation Name')
              FROM pg_catalog.jsonb_path_query(plan::jsonb, 'lax $.**') r
             WHERE pg_catalog.jsonb_typeof(r) = 'object' AND r ? 'Relation Name');
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT t FROM pg_catalog.unnest(found) t ORDER BY t);
END
$$;

-- CDB_QueryTables(query): the same, as name[].
CREATE FUNCTION cartodb.cdb_querytables(query text) RETURNS name[]
    LANGUAGE sql VOLATILE STRICT
AS $$ SELECT cartodb.cdb_querytablestext(query)::name[] $$;

-- CDB_EstimateRowCount(query): the planner's row estimate for the query (no execution).
CREATE FUNCTION cartodb.cdb_estimaterowcount(query text) RETURNS numeric
    LANGUAGE plpgsql VOLATILE STRICT
AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO STRICT plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
END
$$;


-- ---------------------------------------------------------------------------------------------------
-- Classification bins (legends): each returns the upper bound of every class, ascending.
-- ---------------------------------------------------------------------------------------------------

-- Quantiles: the value at each 1/breaks step of the sorted data (percentile_disc).
CREATE FUNCTION cartodb.cdb_quantilebins(in_array numeric[], breaks integer) RETURNS numeric[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT percentile_disc(ARRAY(SELECT s::float8 / breaks FROM generate_series(1, breaks) s))
           WITHIN GROUP (ORDER BY x)::numeric[]
      FROM unnest(in_array) x
$$;

-- Equal intervals: min + k * (max - min) / breaks, for k = 1 … breaks.
CREATE FUNCTION cartodb.cdb_equalintervalbins(in_array numeric[], breaks integer) RETURNS numeric[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH s AS (SELECT min(x) AS lo, max(x) AS hi FROM unnest(in_array) x)
    SELECT ARRAY(SELECT lo + k * (hi - lo) / breaks FROM s, generate_series(1, breaks) k ORDER BY k)
$$;

-- Heads/tails: the mean, then the mean of what lies above it, and so on (heavy-tailed data).
CREATE FUNCTION cartodb.cdb_headstailsbins(in_array numeric[], breaks integer) RETURNS numeric[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m numeric := (SELECT avg(x) FROM unnest(in_array) x);
    out numeric[] := '{}';
BEGIN
    FOR k IN 1 .. breaks LOOP
        EXIT WHEN m IS NULL;
        out := out || m;
        m := (SELECT avg(x) FROM unnest(in_array) x WHERE x > m);
    END LOOP;
    RETURN out;
END
$$;

-- Jenks natural breaks: the exact Fisher-Jenks optimum (least within-class squared deviation) by dynamic
-- programming, O(breaks * n^2). iterations is accepted for CARTO's signature and not needed; invert
-- returns the bounds in descending order.
CREATE FUNCTION cartodb.cdb_jenksbins(in_array numeric[], breaks integer, iterations integer DEFAULT 0,
                                      invert boolean DEFAULT false) RETURNS numeric[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v float8[] := ARRAY(SELECT x::float8 FROM unnest(in_array) x WHERE x IS NOT NULL ORDER BY x);
    n integer := coalesce(array_length(v, 1), 0);
    k integer := least(breaks, n);
    cost float8[];   -- cost[(c-1)*n + i]: best cost of the first i values in c classes
    cut integer[];   -- where the last class of that optimum starts
    s1 float8; s2 float8; w integer; best float8; d float8; bestj integer;
    bounds numeric[] := '{}';
    i integer;
BEGIN
    IF n = 0 OR k < 1 THEN
        RETURN bounds;
    END IF;
    cost := array_fill(0::float8, ARRAY[k * n]);
    cut := array_fill(1, ARRAY[k * n]);
    FOR i IN 1 .. n LOOP -- one class: the squared deviation of values 1..i
        s1 := 0; s2 := 0;
        FOR j IN 1 .. i LOOP s1 := s1 + v[j]; s2 := s2 + v[j] * v[j]; END LOOP;
        cost[i] := s2 - s1 * s1 / i;
    END LOOP;
    FOR c IN 2 .. k LOOP
        FOR i IN c .. n LOOP
            best := 'Infinity'; bestj := i; s1 := 0; s2 := 0; w := 0;
            FOR j IN REVERSE i .. c LOOP -- the last class is values j..i
                s1 := s1 + v[j]; s2 := s2 + v[j] * v[j]; w := w + 1;
                d := (s2 - s1 * s1 / w) + cost[(c - 2) * n + j - 1];
                IF d <= best THEN best := d; bestj := j; END IF;
            END LOOP;
            cost[(c - 1) * n + i] := best;
            cut[(c - 1) * n + i] := bestj;
        END LOOP;
    END LOOP;
    i := n;
    FOR c IN REVERSE k .. 1 LOOP
        bounds := v[i]::numeric || bounds;
        i := cut[(c - 1) * n + i] - 1;
        EXIT WHEN i < 1;
    END LOOP;
    IF invert THEN
        RETURN ARRAY(SELECT b FROM unnest(bounds) b ORDER BY b DESC);
    END IF;
    RETURN bounds;
END
$$;


-- ---------------------------------------------------------------------------------------------------
-- Tiles and grids.
-- ---------------------------------------------------------------------------------------------------

-- CDB_XYZ_Resolution(z): metres per pixel of a 256-pixel web mercator tile at zoom z.
CREATE FUNCTION cartodb.cdb_xyz_resolution(z integer) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN 6378137.0 * 2 * pi() / 256 / power(2, z);

-- CDB_XYZ_Extent(x, y, z): the tile's square in EPSG:3857 (y counted from the top, as XYZ tiles).
CREATE FUNCTION cartodb.cdb_xyz_extent(x integer, y integer, z integer) RETURNS public.geometry
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN public.ST_TileEnvelope(z, x, y);

-- CDB_RectangleGrid(extent, width, height, origin, maxcells): cells of width x height covering the
-- extent, aligned on origin (default 0,0), in the extent's SRID. Refuses more than maxcells cells.
CREATE FUNCTION cartodb.cdb_rectanglegrid(ext public.geometry, width float8, height float8,
                                          origin public.geometry DEFAULT NULL, maxcells integer DEFAULT 262144)
    RETURNS SETOF public.geometry
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ox float8 := coalesce(public.ST_X(origin), 0);
    oy float8 := coalesce(public.ST_Y(origin), 0);
    x0 float8; y0 float8; nx bigint; ny bigint;
BEGIN
    IF ext IS NULL OR width IS NULL OR height IS NULL OR width <= 0 OR height <= 0 THEN
        RAISE EXCEPTION 'CDB_RectangleGrid: extent and a positive width and height are required'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    x0 := ox + floor((public.ST_XMin(ext) - ox) / width) * width;
    y0 := oy + floor((public.ST_YMin(ext) - oy) / height) * height;
    nx := ceil((public.ST_XMax(ext) - x0) / width);
    ny := ceil((public.ST_YMax(ext) - y0) / height);
    IF greatest(nx, 1) * greatest(ny, 1) > maxcells THEN
        RAISE EXCEPTION 'CDB_RectangleGrid: too many cells (% > %)', greatest(nx, 1) * greatest(ny, 1), maxcells
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    RETURN QUERY
        SELECT public.ST_MakeEnvelope(x0 + i * width, y0 + j * height, x0 + (i + 1) * width, y0 + (j + 1) * height,
                                      public.ST_SRID(ext))
          FROM generate_series(0, greatest(nx, 1) - 1) i, generate_series(0, greatest(ny, 1) - 1) j;
END
$$;

-- CDB_HexagonGrid(extent, side, origin, maxcells): hexagons of the given side covering the extent
-- (PostGIS ST_HexagonGrid, anchored at 0,0; origin is accepted for CARTO's signature only when NULL or 0,0).
CREATE FUNCTION cartodb.cdb_hexagongrid(ext public.geometry, side float8,
                                        origin public.geometry DEFAULT NULL, maxcells integer DEFAULT 262144)
    RETURNS SETOF public.geometry
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    estimate float8;
BEGIN
    IF ext IS NULL OR side IS NULL OR side <= 0 THEN
        RAISE EXCEPTION 'CDB_HexagonGrid: extent and a positive side are required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF origin IS NOT NULL AND (public.ST_X(origin) <> 0 OR public.ST_Y(origin) <> 0) THEN
        RAISE EXCEPTION 'CDB_HexagonGrid: only the origin 0,0 is supported' USING ERRCODE = 'feature_not_supported';
    END IF;
    estimate := ((public.ST_XMax(ext) - public.ST_XMin(ext)) / (1.5 * side) + 2)
              * ((public.ST_YMax(ext) - public.ST_YMin(ext)) / (sqrt(3) * side) + 2);
    IF estimate > maxcells THEN
        RAISE EXCEPTION 'CDB_HexagonGrid: too many cells (about % > %)', round(estimate), maxcells
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    RETURN QUERY SELECT h.geom FROM public.ST_HexagonGrid(side, ext) h;
END
$$;
