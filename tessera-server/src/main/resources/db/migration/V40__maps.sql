-- Maps API storage (issue 6). Layergroups (instantiated map configs) and named-map templates live in the
-- database so that every node can serve every map; only the admin connection reads or writes them.

CREATE TABLE tessera.map_layergroups (
    user_id      uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    id           text NOT NULL,                 -- md5 hex of the canonical config (content address)
    config       text NOT NULL,                 -- the validated config as JSON, api_key/client stripped
    template     text,                          -- named maps: {"name":…,"auth":…} as JSON; null for anonymous
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
);

CREATE TABLE tessera.map_templates (
    user_id    uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    template   text NOT NULL,                   -- the validated template as JSON, api_key/client stripped
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, name)
);
