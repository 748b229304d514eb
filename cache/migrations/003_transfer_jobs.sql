-- The transfer queue (retrieves and sends), kept in the index so it survives a restart: a job
-- found 'running' at start-up was interrupted and runs again (a retrieve then fetches only
-- what is still missing).
CREATE TABLE transfer_jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('retrieve', 'send')),
    node        TEXT NOT NULL,
    study_uid   TEXT NOT NULL,
    series_uid  TEXT NOT NULL DEFAULT '',
    method      TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'move', 'get')),
    priority    INTEGER NOT NULL DEFAULT 0,  -- higher first (the series open in the viewer)
    state       TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,  -- instances, at the last update
    total       INTEGER NOT NULL DEFAULT -1, -- -1: not known yet
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,            -- unix seconds
    updated_at  INTEGER NOT NULL
);
CREATE INDEX transfer_jobs_by_state ON transfer_jobs (state, priority DESC, id);

-- How many instances a remote node said a series has, so a partly retrieved series can show
-- as incomplete ("n of m") until a resume completes it.
CREATE TABLE series_expected (
    series_uid  TEXT PRIMARY KEY,
    study_uid   TEXT NOT NULL,
    node        TEXT NOT NULL,
    instances   INTEGER NOT NULL
);
