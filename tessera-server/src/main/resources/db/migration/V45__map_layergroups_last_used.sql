-- Maps: unused layergroups are purged in the background (LayergroupPurge); last_used_at is stamped at most
-- once a minute per layergroup, and this index finds the unused ones without scanning the table.
CREATE INDEX map_layergroups_last_used_at ON tessera.map_layergroups (last_used_at);
