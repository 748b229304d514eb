-- Lightbox cache index, version 1.
-- Text columns hold UTF-8. *_folded columns hold foldForSearch() of their source, for
-- case- and accent-insensitive search. Counters on studies/series are maintained by the
-- importer in the same transaction that inserts instances.

CREATE TABLE patients (
    id            INTEGER PRIMARY KEY,
    identity_key  TEXT NOT NULL UNIQUE,   -- PatientID + name + birth date: one row per person as the files describe them
    patient_id    TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    sex           TEXT NOT NULL
);
CREATE INDEX patients_name_folded ON patients(name_folded);
CREATE INDEX patients_patient_id ON patients(patient_id);

CREATE TABLE studies (
    id                   INTEGER PRIMARY KEY,
    patient_ref          INTEGER NOT NULL REFERENCES patients(id),
    study_uid            TEXT NOT NULL UNIQUE,
    study_date           TEXT NOT NULL,
    study_time           TEXT NOT NULL,
    description          TEXT NOT NULL,
    description_folded   TEXT NOT NULL,
    accession_number     TEXT NOT NULL,
    referring_physician  TEXT NOT NULL,
    modalities           TEXT NOT NULL DEFAULT '',  -- distinct series modalities, '\'-separated, sorted
    num_series           INTEGER NOT NULL DEFAULT 0,
    num_instances        INTEGER NOT NULL DEFAULT 0,
    added_at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX studies_patient ON studies(patient_ref);
CREATE INDEX studies_date ON studies(study_date, study_time);
CREATE INDEX studies_accession ON studies(accession_number);

CREATE TABLE series (
    id              INTEGER PRIMARY KEY,
    study_ref       INTEGER NOT NULL REFERENCES studies(id),
    series_uid      TEXT NOT NULL UNIQUE,
    series_number   INTEGER,
    modality        TEXT NOT NULL,
    description     TEXT NOT NULL,
    body_part       TEXT NOT NULL,
    num_instances   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_study ON series(study_ref);

CREATE TABLE instances (
    id               INTEGER PRIMARY KEY,
    series_ref       INTEGER NOT NULL REFERENCES series(id),
    sop_instance_uid TEXT NOT NULL UNIQUE,
    sop_class_uid    TEXT NOT NULL,
    instance_number  INTEGER,
    transfer_syntax  TEXT NOT NULL,
    rows             INTEGER NOT NULL,
    columns          INTEGER NOT NULL,
    frames           INTEGER NOT NULL,
    image_position   TEXT NOT NULL,   -- "x\y\z" or ''
    image_orientation TEXT NOT NULL,  -- six values or ''
    file_path        TEXT NOT NULL UNIQUE, -- relative to the cache's store/ folder
    file_size        INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,
    added_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX instances_series ON instances(series_ref);

-- Files that arrived with a SOP Instance UID we already hold but different content.
-- The first copy is kept; the newcomer is recorded here and not stored.
CREATE TABLE conflicts (
    id               INTEGER PRIMARY KEY,
    sop_instance_uid TEXT NOT NULL,
    source           TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    file_size        INTEGER NOT NULL,
    detected_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

-- The write-ahead intent of the file store: a row is committed before a file is linked into
-- the store and removed in the transaction that indexes it. Rows left by a dead process name
-- files that may sit in the store unindexed; recovery removes those files.
CREATE TABLE pending_files (
    file_path  TEXT NOT NULL,
    owner      TEXT NOT NULL,
    PRIMARY KEY (file_path, owner)
);
