-- Sunshine store, migration 2: mail import bookkeeping.

-- Every (path, content) pair the mail importer finished reading. source_files keeps one row
-- per content hash (the last path), but the same bytes often sit at several paths (a message
-- in two folders); this table lets a rerun skip each of them, so re-importing is a no-op.
CREATE TABLE mail_files (
  path          TEXT    NOT NULL,
  sha256        TEXT    NOT NULL,
  completed_at  INTEGER NOT NULL,
  items         INTEGER NOT NULL,
  PRIMARY KEY (path, sha256)
);
