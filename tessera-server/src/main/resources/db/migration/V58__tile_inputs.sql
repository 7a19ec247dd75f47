-- What a cached tile rests on, read on the drawing role's own connection (security 5) before a tile is drawn or
-- a cached one is served without the change feed: each table's change stamp (only tables the caller may read,
-- V2) and whether the table is "plain" for the caller: no row-level security (policies may depend on anything),
-- table-wide SELECT (a column grant could be narrowed without the tile noticing), and an enabled track_updates
-- trigger exactly as CDB_CartodbfyTable makes it (else writes would not move the stamp). Caller's rights, so
-- has_table_privilege answers for the session's own role.
CREATE FUNCTION cartodb._tessera_tile_inputs(tables regclass[])
    RETURNS TABLE (tabname oid, updated_at timestamptz, plain boolean)
    LANGUAGE plpgsql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- PL/pgSQL so the plan is kept per session (a SQL function with a SET clause is planned on every call)
    RETURN QUERY
    SELECT s.tabname::oid, s.updated_at,
           NOT c.relrowsecurity
           AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
           AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t -- as cartodb._cdb_has_trigger checks it, and enabled
                        WHERE t.tgrelid = c.oid AND t.tgname = 'track_updates' AND NOT t.tgisinternal
                          AND t.tgfoid = 'cartodb.cdb_tablemetadata_trigger()'::regprocedure
                          AND t.tgtype = 4 + 8 + 16 + 32 AND t.tgqual IS NULL AND t.tgnargs = 0
                          AND pg_catalog.cardinality(t.tgattr::int2[]) = 0 AND t.tgenabled IN ('O', 'A'))
      FROM cartodb._tessera_table_updated_at(tables) s
      JOIN pg_catalog.pg_class c ON c.oid = s.tabname;
END
$$;
GRANT EXECUTE ON FUNCTION cartodb._tessera_tile_inputs(regclass[]) TO PUBLIC;
