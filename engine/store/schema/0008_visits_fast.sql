-- Sunshine store, migration 8: compressed raw visit-log blocks (docs/formats/visit-statistics.md).
-- New blocks hold their lines as one LZ4 frame (codec 'lz4'; `lz4 -d` restores the exact
-- bytes), so a million lines write about a sixth of the bytes through the WAL. Rows
-- written before this migration keep codec 'plain' (the lines as text). Purge deletes
-- whole rows by day under secure_delete either way, so old and new rows purge alike.
ALTER TABLE visit_raw_blocks ADD COLUMN codec TEXT NOT NULL DEFAULT 'plain';
-- Size of the lines before compression (NULL for 'plain' rows: length(bytes)).
ALTER TABLE visit_raw_blocks ADD COLUMN raw_size INTEGER;

-- Keyed visitor hashes of an open day, one row per import batch and day: the hashes first
-- seen in that batch, 16 bytes each, concatenated (`visitors` of them). Replaces a row per
-- visitor in visit_day_visitors (still read, for stores with rows from before). Deleted
-- with the day's key when the day is aggregated, like visit_day_visitors.
CREATE TABLE visit_day_visitor_blocks (
  id        INTEGER PRIMARY KEY,
  day       TEXT    NOT NULL,
  visitors  INTEGER NOT NULL,
  hashes    BLOB    NOT NULL
);
CREATE INDEX visit_day_visitor_blocks_day ON visit_day_visitor_blocks(day);
