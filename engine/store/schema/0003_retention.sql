-- Sunshine store, migration 3: retention (classification, events, holds, disposition).
-- Portable SQL: times are epoch seconds (INTEGER) or ISO 8601 dates (TEXT, YYYY-MM-DD).

-- The one schedule item governing each record, why, and under which schedule version.
-- method: rule | manual | transfer-to-file. Absent row = unclassified (the review queue).
CREATE TABLE classifications (
  record_id         INTEGER PRIMARY KEY REFERENCES records(id),
  item_id           TEXT    NOT NULL,
  schedule_id       TEXT    NOT NULL,
  schedule_version  TEXT    NOT NULL,
  method            TEXT    NOT NULL,
  reason            TEXT    NOT NULL,
  classified_at     INTEGER NOT NULL,
  classified_by     TEXT    NOT NULL
);
CREATE INDEX classifications_item ON classifications(item_id);

-- Records the last classify run found no rule for (so the nightly summary can report the
-- queue without re-running every rule); cleared when the record is classified.
CREATE TABLE classification_queue (
  record_id         INTEGER PRIMARY KEY REFERENCES records(id),
  schedule_version  TEXT    NOT NULL,    -- the versions checked, "id@version,..."
  checked_at        INTEGER NOT NULL
);

-- Recorded events that start event-based retention ("request-closed", "case-closed").
CREATE TABLE record_events (
  id           INTEGER PRIMARY KEY,
  record_id    INTEGER NOT NULL REFERENCES records(id),
  type         TEXT    NOT NULL,
  event_date   TEXT    NOT NULL,          -- YYYY-MM-DD
  recorded_at  INTEGER NOT NULL,
  recorded_by  TEXT    NOT NULL,
  note         TEXT    NOT NULL DEFAULT '',
  UNIQUE (record_id, type, event_date)
);
CREATE INDEX record_events_record ON record_events(record_id, type);

-- Legal, audit and request holds (missouri-law.md 2.3). scope: records | query | series.
-- kind: legal | audit | request | litigation. source: who asked, e.g. "request:2026-0001".
CREATE TABLE holds (
  id                INTEGER PRIMARY KEY,
  name              TEXT    NOT NULL,
  reason            TEXT    NOT NULL,
  kind              TEXT    NOT NULL DEFAULT 'legal',
  source            TEXT    NOT NULL DEFAULT '',
  scope             TEXT    NOT NULL,
  query             TEXT,
  series            TEXT,                 -- schedule item id, for scope = series
  created_at        INTEGER NOT NULL,
  created_by        TEXT    NOT NULL,
  last_reviewed_at  INTEGER NOT NULL,
  released_at       INTEGER,
  released_by       TEXT,
  release_reason    TEXT
);
-- The records a records- or query-scoped hold covers (a query is resolved when the hold is made).
CREATE TABLE hold_records (
  hold_id    INTEGER NOT NULL REFERENCES holds(id),
  record_id  INTEGER NOT NULL REFERENCES records(id),
  added_at   INTEGER NOT NULL,
  PRIMARY KEY (hold_id, record_id)
);
CREATE INDEX hold_records_record ON hold_records(record_id);

-- Disposition lists: proposed (frozen due list), approved, executed.
CREATE TABLE disposition_lists (
  id            INTEGER PRIMARY KEY,
  status        TEXT    NOT NULL,         -- proposed | approved | executed
  as_of         TEXT    NOT NULL,         -- YYYY-MM-DD the list was computed for
  proposed_at   INTEGER NOT NULL,
  proposed_by   TEXT    NOT NULL,
  approved_at   INTEGER,
  approved_by   TEXT,
  executed_at   INTEGER,
  certificate   TEXT                      -- certificate file (text), once executed
);
CREATE TABLE disposition_items (
  list_id       INTEGER NOT NULL REFERENCES disposition_lists(id),
  record_id     INTEGER NOT NULL REFERENCES records(id),
  item_id       TEXT    NOT NULL,
  action        TEXT    NOT NULL,         -- destroy | transfer-to-archives | transfer-to-file
  trigger_date  TEXT    NOT NULL,
  due_date      TEXT    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'pending',  -- pending | done | skipped-held | skipped-changed | failed
  detail        TEXT    NOT NULL DEFAULT '',
  done_at       INTEGER,
  PRIMARY KEY (list_id, record_id)
);
CREATE INDEX disposition_items_record ON disposition_items(record_id);

-- What is left of a destroyed record: no content, only the proof (DoD 5015.2 C2.2.11.5
-- delete log; MoReq2010 residual entity). The records row stays with status 'destroyed'
-- and blank content fields.
CREATE TABLE tombstones (
  record_id         INTEGER PRIMARY KEY REFERENCES records(id),
  kind              TEXT    NOT NULL,
  item_id           TEXT    NOT NULL,
  schedule_id       TEXT    NOT NULL,
  schedule_version  TEXT    NOT NULL,
  authority         TEXT    NOT NULL,
  citation          TEXT    NOT NULL,
  received_at       INTEGER,
  trigger_date      TEXT    NOT NULL,
  due_date          TEXT    NOT NULL,
  content_sha256    TEXT    NOT NULL,
  list_id           INTEGER NOT NULL,
  approved_by       TEXT    NOT NULL,
  destroyed_at      INTEGER NOT NULL,
  destroyed_by      TEXT    NOT NULL
);

-- Transfers to the State Archives: the verified BagIt bag written for each record.
CREATE TABLE archive_transfers (
  record_id          INTEGER PRIMARY KEY REFERENCES records(id),
  list_id            INTEGER NOT NULL,
  item_id            TEXT    NOT NULL,
  bag_path           TEXT    NOT NULL,
  manifest_sha256    TEXT    NOT NULL,    -- SHA-256 of the bag's manifest-sha256.txt
  transferred_at     INTEGER NOT NULL,
  transferred_by     TEXT    NOT NULL,
  local_copy_deleted INTEGER NOT NULL
);
