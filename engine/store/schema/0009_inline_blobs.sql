-- Sunshine store, migration 9: small blobs live in the database.
--
-- One file per message and per attachment made creating ext4 inodes two thirds of mail
-- import time. SQLite reads and writes blobs below about 100 KB faster than separate files
-- (https://www.sqlite.org/intern-v-extern-blob.html), and bytes kept here commit atomically
-- with the rows that name them and are zeroed on delete by secure_delete. Blobs of
-- BlobStore::kInlineLimit bytes or more stay files under blobs/. Every blob, wherever it
-- lives, has its row in `blobs` (size and fixity).
CREATE TABLE blob_content (
  sha256  TEXT PRIMARY KEY,  -- blobs.sha256
  bytes   BLOB NOT NULL
);
-- Original bytes are never edited; only destruction removes them.
CREATE TRIGGER blob_content_immutable BEFORE UPDATE ON blob_content
BEGIN SELECT RAISE(ABORT, 'blob bytes are never edited'); END;
