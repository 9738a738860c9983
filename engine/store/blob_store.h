// Content-addressed storage for original bytes. A blob's name is its SHA-256, so storing the
// same bytes twice is a no-op, and fixity is re-hashing.
//
// Where the bytes live depends on size (decision and measurements: migration 0009):
// - below kInlineLimit, in the database table blob_content, written in the caller's
//   transaction, so they commit (and roll back) with the rows that name them;
// - from kInlineLimit up, as files blobs/<sha[0:2]>/<sha256>, written (temp, rename) before
//   the transaction that records them commits and made durable by Sync() in the store's
//   before-commit hook; a crash in between leaves an unreferenced file that the next import
//   of the same bytes reuses.
// Deletion is queued inside the destroying transaction: inline bytes go with it (zeroed by
// secure_delete), files are removed after commit, and ProcessPendingDeletions finishes the
// job after a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/path.h"
#include "engine/core/result.h"
#include "engine/store/database.h"

namespace sunshine {

struct FixityReport {
  std::int64_t checked = 0;
  std::int64_t bytes = 0;
  std::int64_t mismatched = 0;
  std::int64_t missing = 0;
  std::vector<std::string> bad;  // sha256 of every failed blob
};

class BlobStore {
 public:
  // Mail messages (a few KiB) and typical attachments fall below it; large scans and media
  // stay files so the database stays small enough to back up and compact quickly.
  static constexpr std::size_t kInlineLimit = 128 * 1024;

  // `db` is the store's database (inline bytes), which outlives the BlobStore.
  BlobStore(Path dir, Database* db) : dir_(std::move(dir)), db_(db) {}

  // Where a file blob lives (or would live); inline blobs have no file.
  Path PathOf(std::string_view sha256) const;
  bool Exists(std::string_view sha256) const;

  // Stores the bytes (if absent) and records the blob row in `db` (the caller's open write
  // transaction). Returns the SHA-256. A file blob is renamed into place but not yet synced;
  // the Store runs Sync() before every commit, so rows never commit ahead of their files.
  Result<std::string> Put(Database& db, std::string_view bytes);
  // Same, when the caller has already hashed the bytes.
  Result<std::string> Put(Database& db, std::string_view bytes, std::string sha256);
  // Same for a file's content, streamed.
  Result<std::string> PutFile(Database& db, const Path& file);
  Result<std::string> Read(std::string_view sha256) const;
  // Makes every file written by Put since the last Sync durable (one syncfs).
  Status Sync();

  // Inside the destroying transaction: drop the blob row and inline bytes, and queue a file
  // for removal.
  Status QueueDeletion(Database& db, std::string_view sha256);
  // After commit (and at the start of every nightly run): remove queued files, then their
  // queue rows. Returns how many files were removed.
  Result<std::int64_t> ProcessPendingDeletions(Database& db);

  // Re-hashes the blobs least recently checked, about total/cycle_days per call (at least
  // one), so that each is checked once per cycle. Updates fixity columns inside the
  // caller's write transaction (which also audits failures). Mismatches are reported, never
  // "repaired".
  Result<FixityReport> CheckFixity(Database& db, std::int64_t cycle_days, std::int64_t now_epoch);

 private:
  // Inline bytes of `sha256`, if it is stored inline.
  Result<std::optional<std::string>> ReadInline(std::string_view sha256) const;

  Path dir_;
  Database* db_;
  std::vector<Path> unsynced_;
};

// Writes bytes to `target` through a temp file, fsync and rename. Used for every file Sunshine
// publishes (reports, certificates). With durable = false the fsyncs are left to the caller.
Status WriteFileAtomically(const Path& target, std::string_view bytes, bool durable = true);
// fsyncs a file or folder.
Status FsyncPath(const Path& path);
Result<std::string> ReadFile(const Path& file);

}  // namespace sunshine
