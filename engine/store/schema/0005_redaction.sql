-- Sunshine store, migration 5: redaction results per record (docs/formats/redaction-policy.md).
-- Byte ranges refer to the ORIGINAL text of a part; the record itself is never changed.

-- One row per record whose automatic results have been computed (even when nothing was
-- found), so `redact run` computes each record once.
CREATE TABLE redaction_runs (
  record_id      INTEGER PRIMARY KEY REFERENCES records(id),
  computed_at    INTEGER NOT NULL,          -- epoch seconds
  policy         TEXT    NOT NULL,          -- policy name and version used
  policy_sha256  TEXT    NOT NULL
);

-- Withheld spans. origin: auto (detectors + policy) | manual (a reviewer). A reviewer's
-- removal keeps the row with state = 'removed' so the log shows what was released and why.
CREATE TABLE redactions (
  id           INTEGER PRIMARY KEY,
  record_id    INTEGER NOT NULL REFERENCES records(id),
  part         TEXT    NOT NULL,           -- body | title | sender | sender_name | recipients |
                                           -- field:<name> | attachment:<n> | attachment-name:<n>
  start_byte   INTEGER NOT NULL,
  end_byte     INTEGER NOT NULL,           -- exclusive
  category     TEXT    NOT NULL,           -- ssn | card | phone | person | ...
  rule         TEXT    NOT NULL,
  reason       TEXT    NOT NULL,           -- reason code from the policy
  citation     TEXT    NOT NULL,           -- e.g. RSMo 610.035
  description  TEXT    NOT NULL,           -- generic description (RSMo 610.024)
  confidence   REAL    NOT NULL DEFAULT 1,
  origin       TEXT    NOT NULL CHECK (origin IN ('auto', 'manual')),
  state        TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'removed')),
  created_at   INTEGER NOT NULL,
  created_by   TEXT    NOT NULL,
  changed_at   INTEGER,
  changed_by   TEXT,
  change_note  TEXT
);
CREATE INDEX redactions_record ON redactions(record_id, part, start_byte);
