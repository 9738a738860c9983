-- Sunshine store, migration 1: the spine (audit trail, blobs, runs, quarantine, records).
-- SQLite dialect of portable SQL: times are epoch seconds (INTEGER) or ISO 8601 text.

-- Append-only, hash-chained audit trail (docs/formats/audit-chain.md). No command updates or
-- deletes rows here; triggers refuse it so a bug cannot do it either.
CREATE TABLE audit_events (
  seq        INTEGER PRIMARY KEY,
  at         TEXT    NOT NULL,          -- UTC, ISO 8601, wall clock
  actor      TEXT    NOT NULL,
  action     TEXT    NOT NULL,
  object     TEXT    NOT NULL,
  details    TEXT    NOT NULL,          -- compact JSON object
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL
);
CREATE INDEX audit_events_action ON audit_events(action);
CREATE INDEX audit_events_object ON audit_events(object);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- Content-addressed blobs: the file is blobs/<sha[0:2]>/<sha>. Rows are written in the same
-- transaction as the record that refers to them.
CREATE TABLE blobs (
  sha256         TEXT    PRIMARY KEY,
  size           INTEGER NOT NULL,
  stored_at      INTEGER NOT NULL,
  fixity_checked INTEGER,               -- epoch of the last successful re-hash
  fixity_failed  INTEGER                -- epoch of the last mismatch, NULL if none
);
-- Blob files to delete after the destroying transaction committed; processed (and retried
-- after a crash) by BlobStore::ProcessPendingDeletions.
CREATE TABLE blob_deletions (
  sha256     TEXT    PRIMARY KEY,
  queued_at  INTEGER NOT NULL
);

-- One row per batch run (nightly, import, ...), with per-step rows.
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  actor       TEXT    NOT NULL,
  as_of       TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  outcome     TEXT,                     -- ok | failed | NULL while running (or killed)
  summary     TEXT                      -- JSON
);
CREATE TABLE run_steps (
  run_id      INTEGER NOT NULL REFERENCES runs(id),
  ordinal     INTEGER NOT NULL,
  step        TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  outcome     TEXT,
  counts      TEXT    NOT NULL DEFAULT '{}',
  message     TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, ordinal)
);

-- Items that could not be imported: the original bytes are blob quarantine/<sha>.bin.
CREATE TABLE quarantine (
  id           INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  importer     TEXT    NOT NULL,
  source_file  TEXT    NOT NULL,
  position     TEXT    NOT NULL,        -- "byte 1234" or "line 17"
  reason       TEXT    NOT NULL,
  sha256       TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  UNIQUE (importer, source_file, position, sha256)
);

-- Input files already imported, so the nightly run never imports the same file twice.
CREATE TABLE source_files (
  id            INTEGER PRIMARY KEY,
  importer      TEXT    NOT NULL,
  path          TEXT    NOT NULL,
  sha256        TEXT    NOT NULL,
  size          INTEGER NOT NULL,
  completed_at  INTEGER,
  counts        TEXT    NOT NULL DEFAULT '{}',
  UNIQUE (importer, sha256)
);

-- Records: e-mails and form submissions. Original bytes are the blob content_sha256 and
-- are never edited. status: active | destroyed | transferred.
CREATE TABLE records (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL CHECK (kind IN ('mail', 'form')),
  content_sha256   TEXT    NOT NULL UNIQUE,
  dedup_key        TEXT,                -- Message-ID, or form submission id
  duplicate_of     INTEGER REFERENCES records(id),
  received_at      INTEGER,             -- epoch seconds UTC
  received_source  TEXT,                -- header | mbox-from | file-mtime | submission
  imported_at      INTEGER NOT NULL,
  title            TEXT    NOT NULL DEFAULT '',   -- subject, or form title
  sender           TEXT    NOT NULL DEFAULT '',   -- address
  sender_name      TEXT    NOT NULL DEFAULT '',
  recipients       TEXT    NOT NULL DEFAULT '',   -- comma-separated addresses (To, Cc, Bcc)
  folder           TEXT    NOT NULL DEFAULT '',   -- mailbox or folder the item came from
  form_id          TEXT,
  body             TEXT    NOT NULL DEFAULT '',
  metadata         TEXT    NOT NULL DEFAULT '{}', -- JSON: read-only header fields etc.
  flags            TEXT    NOT NULL DEFAULT '[]', -- JSON array of flag names
  status           TEXT    NOT NULL DEFAULT 'active'
);
CREATE INDEX records_kind_received ON records(kind, received_at);
CREATE INDEX records_dedup_key ON records(dedup_key);
CREATE INDEX records_sender ON records(sender);

-- Every place a copy of a record was seen.
CREATE TABLE record_sources (
  record_id    INTEGER NOT NULL REFERENCES records(id),
  importer     TEXT    NOT NULL,
  source_file  TEXT    NOT NULL,
  position     TEXT    NOT NULL,
  seen_at      INTEGER NOT NULL,
  PRIMARY KEY (record_id, source_file, position)
);

CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  record_id    INTEGER NOT NULL REFERENCES records(id),
  ordinal      INTEGER NOT NULL,
  filename     TEXT    NOT NULL,
  media_type   TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT    NOT NULL,
  text         TEXT,                    -- extracted text for text-like parts
  scan_status  TEXT    NOT NULL DEFAULT 'not-scanned',  -- clean | infected | not-scanned | error
  scan_detail  TEXT    NOT NULL DEFAULT '',
  UNIQUE (record_id, ordinal)
);
CREATE INDEX attachments_sha256 ON attachments(sha256);

-- Form submission values. requested = 0 marks data the form did not ask for.
CREATE TABLE form_fields (
  record_id   INTEGER NOT NULL REFERENCES records(id),
  ordinal     INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  label       TEXT    NOT NULL DEFAULT '',
  value       TEXT    NOT NULL,
  requested   INTEGER NOT NULL,
  required    INTEGER NOT NULL DEFAULT 0,
  category    TEXT    NOT NULL DEFAULT 'none',
  PRIMARY KEY (record_id, ordinal)
);

-- Full-text index, rowid = records.id, maintained in the same transactions as records.
CREATE VIRTUAL TABLE records_fts USING fts5(
  title, addresses, body, attachments, fields, tokenize = 'unicode61 remove_diacritics 2'
);
