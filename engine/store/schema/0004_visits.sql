-- Sunshine store, migration 4: web visit logs (docs/formats/visit-statistics.md).
-- Visit-log lines are not records. visit_raw_blocks is the ONLY table that may hold a full
-- IP address; it is purged when the raw lines' retention ends. Everything else holds
-- counts, hashes of whole lines (stream identity) or keyed visitor hashes whose key is
-- destroyed when the day is aggregated.

-- Raw lines, verbatim, in blocks of lines from one source file and one site-local day, so a
-- day purges exactly and a million lines are a few hundred rows.
CREATE TABLE visit_raw_blocks (
  id          INTEGER PRIMARY KEY,
  day         TEXT    NOT NULL,          -- site-local date YYYY-MM-DD
  source_path TEXT    NOT NULL,
  first_line  INTEGER NOT NULL,          -- line numbers in the source file (1-based)
  last_line   INTEGER NOT NULL,
  lines       INTEGER NOT NULL,
  bytes       TEXT    NOT NULL           -- the lines, each ending in '\n'
);
CREATE INDEX visit_raw_blocks_day ON visit_raw_blocks(day);

-- Log streams already imported, as prefix checkpoints. A stream is identified by the
-- SHA-256 of its first line; a checkpoint says "the first `lines` lines, whose bytes hash
-- to prefix_sha256, are imported". A file (plain, rotated, or compressed) whose first lines
-- hash to a checkpoint's prefix skips those lines, so rotation never double counts.
CREATE TABLE visit_checkpoints (
  id             INTEGER PRIMARY KEY,
  first_sha256   TEXT    NOT NULL,
  lines          INTEGER NOT NULL,
  bytes          INTEGER NOT NULL,
  prefix_sha256  TEXT    NOT NULL,
  source_path    TEXT    NOT NULL,
  at             INTEGER NOT NULL,
  UNIQUE (first_sha256, lines, prefix_sha256)
);

-- One row per site-local day that has visits. state: open (counting; key and visitor
-- hashes exist) | aggregated (final; key and hashes destroyed).
CREATE TABLE visit_days (
  day              TEXT    PRIMARY KEY,
  state            TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'aggregated')),
  requests         INTEGER NOT NULL DEFAULT 0,
  page_views       INTEGER NOT NULL DEFAULT 0,
  unique_visitors  INTEGER NOT NULL DEFAULT 0,  -- final count (aggregated days)
  bytes            INTEGER NOT NULL DEFAULT 0,
  bot_requests     INTEGER NOT NULL DEFAULT 0,
  raw_lines        INTEGER NOT NULL DEFAULT 0,  -- raw lines still stored for the day
  aggregated_at    INTEGER,
  purged_at        INTEGER,
  reopened         INTEGER NOT NULL DEFAULT 0   -- times late lines arrived after aggregation
);

-- Counts per day and dimension: browser, browser_version, os, device_class, agent (human |
-- bot), page, referrer_site, status_class, visitor_tld, visitor_domain.
CREATE TABLE visit_day_counts (
  day        TEXT    NOT NULL,
  dimension  TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  count      INTEGER NOT NULL,
  PRIMARY KEY (day, dimension, name)
);

-- The day's random visitor key (hex) and the keyed hashes of (IP, user agent) seen that
-- day. Both are deleted when the day is aggregated: the stored count then cannot be linked
-- to an address, nor a visitor across days.
CREATE TABLE visit_day_keys (
  day  TEXT PRIMARY KEY,
  key  TEXT NOT NULL
);
CREATE TABLE visit_day_visitors (
  day      TEXT NOT NULL,
  visitor  TEXT NOT NULL,
  PRIMARY KEY (day, visitor)
);

-- Legal holds on days of raw lines: a held day is never purged.
CREATE TABLE visit_day_holds (
  day         TEXT    PRIMARY KEY,
  reason      TEXT    NOT NULL,
  actor       TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
