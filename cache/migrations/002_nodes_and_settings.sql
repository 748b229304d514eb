-- Remote DICOM nodes and workstation settings live with the cache they feed, so one cache
-- folder is one complete workstation profile (and tests on a fresh cache start clean).
CREATE TABLE remote_nodes (
    name              TEXT PRIMARY KEY,
    ae_title          TEXT NOT NULL,
    host              TEXT NOT NULL,
    port              INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    retrieve_method   TEXT NOT NULL DEFAULT 'move' CHECK (retrieve_method IN ('move', 'get')),
    connect_timeout_s INTEGER NOT NULL DEFAULT 10,
    dimse_timeout_s   INTEGER NOT NULL DEFAULT 30,
    max_associations  INTEGER NOT NULL DEFAULT 2
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
