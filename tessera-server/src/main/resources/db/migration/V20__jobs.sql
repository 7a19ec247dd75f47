-- Work that outlives a request (Batch SQL jobs, imports, syncs, exports): one durable table shared by
-- every node. See io.tessera.server.jobs and decisions.md, security 8.
CREATE TABLE tessera.jobs (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL,
    user_id          uuid NOT NULL REFERENCES tessera.users (id) ON DELETE CASCADE,
    -- Jobs of one lane run one at a time, oldest first (a Batch lane is the user).
    lane             text NOT NULL,
    -- The login role the job's SQL runs as (the key's own role).
    db_role          text NOT NULL,
    seq              bigserial NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    payload          jsonb NOT NULL,
    state            jsonb,
    failed_reason    text,
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at       timestamptz,
    ended_at         timestamptz,
    -- Who holds the running job, until when; the final update is fenced by lease_owner.
    lease_owner      text,
    lease_until      timestamptz,
    -- The PostgreSQL backend running the job's SQL; backend_start tells a reused pid apart.
    backend_pid      integer,
    backend_start    timestamptz
);

-- Per-lane FIFO across nodes: at most one running job per lane, whatever node claimed it.
CREATE UNIQUE INDEX jobs_one_running_per_lane ON tessera.jobs (lane) WHERE status = 'running';
CREATE INDEX jobs_pending_fifo ON tessera.jobs (kind, lane, seq) WHERE status = 'pending';
CREATE INDEX jobs_running_lease ON tessera.jobs (kind, lease_until) WHERE status = 'running';
CREATE INDEX jobs_by_user ON tessera.jobs (user_id, kind, created_at DESC);
