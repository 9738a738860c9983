-- Sunshine store, migration 6: Sunshine Law requests (RSMo 610.023-610.026), disclosure
-- packages and the disclosure accounting (who received which record, when and why).

-- One row per request. id is "<year received>-<sequence>", e.g. 2026-0001.
CREATE TABLE requests (
  id                TEXT    PRIMARY KEY,
  year              INTEGER NOT NULL,
  seq               INTEGER NOT NULL,
  requester         TEXT    NOT NULL,
  contact           TEXT    NOT NULL DEFAULT '',
  received_at       INTEGER NOT NULL,          -- epoch seconds UTC
  received_day      TEXT    NOT NULL,          -- office-local day received, YYYY-MM-DD
  description       TEXT    NOT NULL,
  format            TEXT    NOT NULL CHECK (format IN ('electronic', 'paper')),
  status            TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open',
                      'awaiting-clarification', 'awaiting-payment', 'fulfilled',
                      'partially-fulfilled', 'denied', 'withdrawn')),
  due_date          TEXT    NOT NULL,          -- end of the 3rd business day (610.023.3)
  available_on      TEXT,                      -- latest extension's availability date
  status_reason     TEXT    NOT NULL DEFAULT '',
  status_provision  TEXT    NOT NULL DEFAULT '',  -- provision cited for a denial (610.023.4)
  notice_on         TEXT,                      -- payment/clarification asked with notice
  withdraw_after    TEXT,                      -- may be treated as withdrawn after this day
  closed_on         TEXT,                      -- day it reached a closed status
  hold_release_on   TEXT,                      -- day its automatic holds are released
  holds_released    INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  UNIQUE (year, seq)
);
CREATE INDEX requests_status ON requests(status, due_date);

-- 610.023.3: each delay's detailed explanation and the earliest date available.
CREATE TABLE request_extensions (
  request_id    TEXT    NOT NULL REFERENCES requests(id),
  ordinal       INTEGER NOT NULL,
  reason        TEXT    NOT NULL,
  available_on  TEXT    NOT NULL,
  recorded_at   INTEGER NOT NULL,
  actor         TEXT    NOT NULL,
  PRIMARY KEY (request_id, ordinal)
);

-- The responsive set. Each row is also covered by an automatic hold "request:<id>".
CREATE TABLE request_records (
  request_id  TEXT    NOT NULL REFERENCES requests(id),
  record_id   INTEGER NOT NULL REFERENCES records(id),
  added_at    INTEGER NOT NULL,
  actor       TEXT    NOT NULL,
  PRIMARY KEY (request_id, record_id)
);
CREATE INDEX request_records_record ON request_records(record_id);

-- Fee estimates under 610.026 (and 610.035 for SSN redaction), newest last.
CREATE TABLE request_estimates (
  id            INTEGER PRIMARY KEY,
  request_id    TEXT    NOT NULL REFERENCES requests(id),
  at            INTEGER NOT NULL,
  actor         TEXT    NOT NULL,
  total_cents   INTEGER NOT NULL,
  waived        INTEGER NOT NULL DEFAULT 0,
  details       TEXT    NOT NULL             -- JSON: line items, rates, waiver
);

-- The disclosure accounting: one row per package handed to someone outside the office.
CREATE TABLE disclosures (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL CHECK (kind IN ('request', 'share')),
  request_id      TEXT,
  recipient       TEXT    NOT NULL,          -- requester, or receiving agency
  reason          TEXT    NOT NULL DEFAULT '',
  actor           TEXT    NOT NULL,
  at              INTEGER NOT NULL,
  package         TEXT    NOT NULL,          -- file name of the published ZIP
  package_sha256  TEXT    NOT NULL,
  records         INTEGER NOT NULL
);
CREATE INDEX disclosures_recipient ON disclosures(recipient);
CREATE TABLE disclosure_records (
  disclosure_id   INTEGER NOT NULL REFERENCES disclosures(id),
  record_id       INTEGER NOT NULL,
  production      TEXT    NOT NULL DEFAULT '',   -- "SOS-000001 - SOS-000003", or withheld
  basis           TEXT    NOT NULL DEFAULT '',   -- sharing: form agency, or determination
  PRIMARY KEY (disclosure_id, record_id)
);
CREATE INDEX disclosure_records_record ON disclosure_records(record_id);

-- An officer's recorded determination that a record's inquiry relates to an agency.
CREATE TABLE share_determinations (
  record_id   INTEGER NOT NULL REFERENCES records(id),
  agency      TEXT    NOT NULL,                -- as given; compared case-insensitively
  reason      TEXT    NOT NULL,
  actor       TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (record_id, agency)
);
