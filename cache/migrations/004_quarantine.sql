-- Patient safety: the issuer of the patient ID takes part in deciding whether two files
-- describe the same patient, and what is refused (a conflict, a file left by a receiver that
-- died) is kept in quarantine/<id>.dcm with its reason until the user restores or purges it.
ALTER TABLE patients ADD COLUMN issuer TEXT NOT NULL DEFAULT '';

CREATE TABLE quarantine (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,          -- inside quarantine/
    reason       TEXT NOT NULL,
    received_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    patient_id   TEXT NOT NULL DEFAULT '',
    study_uid    TEXT NOT NULL DEFAULT '',
    sop_uid      TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT ''  -- where it came from: a path, or the calling AE title
);
CREATE INDEX quarantine_by_sop ON quarantine(sop_uid, content_hash);
