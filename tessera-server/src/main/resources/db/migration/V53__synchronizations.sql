-- Sync tables (CARTO's /api/v1/synchronizations, platform-api.md §2): a URL re-imported into the same table
-- every `interval` seconds. Each run is a job of kind 'sync' on tessera.jobs; this row is the sync's own
-- record (state machine, schedule, last error, checksum of the last loaded content).
CREATE TABLE tessera.synchronizations (
    id                     uuid PRIMARY KEY,
    user_id                uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    name                   text,
    url                    text NOT NULL,
    interval_s             integer NOT NULL CHECK (interval_s >= 900),
    state                  text NOT NULL DEFAULT 'created'
                           CHECK (state IN ('created', 'queued', 'syncing', 'success', 'failure')),
    run_at                 timestamptz,
    ran_at                 timestamptz,
    modified_at            timestamptz,
    retried_times          integer NOT NULL DEFAULT 0,
    log_id                 uuid,
    error_code             integer,
    error_message          text,
    checksum               text NOT NULL DEFAULT '',
    type_guessing          boolean NOT NULL DEFAULT true,
    quoted_fields_guessing boolean NOT NULL DEFAULT true,
    content_guessing       boolean NOT NULL DEFAULT false,
    visualization_id       uuid,
    queued_at              timestamptz,
    created_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at             timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX synchronizations_user ON tessera.synchronizations (user_id, created_at);
CREATE INDEX synchronizations_due ON tessera.synchronizations (run_at) WHERE state IN ('created', 'success', 'failure');
