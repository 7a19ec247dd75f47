-- Auth API (/api/v3/api_keys): what a key may use besides its role's database privileges. Table and schema
-- grants are not stored here: they live in PostgreSQL as GRANTs to the key's own role and are read back
-- from the catalog, so the database stays the one source of truth.
ALTER TABLE tessera.api_keys
    ADD COLUMN apis         text[] NOT NULL DEFAULT ARRAY['sql', 'maps'],
    ADD COLUMN services     text[] NOT NULL DEFAULT ARRAY[]::text[],
    -- grants kept only to be echoed back (user profile, data-observatory datasets, table_metadata)
    ADD COLUMN other_grants jsonb  NOT NULL DEFAULT '[]'::jsonb;
